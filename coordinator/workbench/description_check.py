"""The description check: what an admin should fix in an agent's description so routing
works. Pure: an agent draft and the other agents in, findings out (no ORM).

Findings, each with a one-line fix:

* ``too_short`` — fewer than MIN_WORDS words: too little for routing to go on;
* ``vague`` — filler ("helps with various things") or too few concrete terms;
* ``no_limits`` — nothing says what the agent does *not* do;
* ``no_example`` — no example requests (field or "e.g." in the text);
* ``overlap`` — another enabled agent's text is this similar (TF-IDF cosine over the
  router's own stems and concepts), with the closest agents and the terms they share;
* ``example_elsewhere`` — one of its own example requests routes to another agent.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field, replace

from coordinator.offline import router
from coordinator.offline import text as T

MIN_WORDS = 12
MIN_CONCRETE_TERMS = 5
OVERLAP_THRESHOLD = 0.30  # cosine at which two agents start to compete for the same queries
CLOSEST = 3
SHARED_TERMS = 6
VAGUE_PHRASES = (
    "helps with",
    "help with",
    "various",
    "anything",
    "everything",
    "all kinds",
    "all sorts",
    "stuff",
    "things",
    "miscellaneous",
    "general purpose",
    "general-purpose",
    "and more",
    "etc",
    "whatever",
    "any task",
    "any question",
)
_EXAMPLE_IN_TEXT_RE = re.compile(r"\be\.g\.|\bfor example\b|\bfor instance\b|\"[^\"]{8,}\"", re.I)


@dataclass
class Closest:
    slug: str
    score: float
    shared_terms: list[str]


@dataclass
class Finding:
    code: str
    message: str
    fix: str
    closest: list[Closest] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def check(
    draft: router.AgentProfile, others: list[router.AgentProfile], route_examples: bool = True
) -> list[Finding]:
    """Findings for ``draft`` against the other enabled agents (``others`` may include the
    draft's stored version under the same slug: it is ignored). ``route_examples=False``
    skips routing the draft's examples (the list page's badge)."""
    pool = [a for a in others if a.enabled and a.slug != draft.slug]
    findings: list[Finding] = []
    description = draft.description or ""
    n_words = len(T.words(description))
    if n_words < MIN_WORDS:
        findings.append(
            Finding(
                "too_short",
                f"The description is {n_words} word{'s' * (n_words != 1)}; routing needs at "
                f"least {MIN_WORDS} to tell this agent from others.",
                "Say what it does, on which data and for whom, in one or two sentences.",
            )
        )
    vague = [p for p in VAGUE_PHRASES if re.search(rf"\b{re.escape(p)}\b", description, re.I)]
    concrete = {
        t.key
        for t in T.terms(description, doc=True)
        if not t.negated and t.surface not in T.WEAK_WORDS
    }
    if vague or len(concrete) < MIN_CONCRETE_TERMS:
        said = f"vague wording ({', '.join(repr(v) for v in vague)})" if vague else ""
        few = f"only {len(concrete)} concrete terms" if len(concrete) < MIN_CONCRETE_TERMS else ""
        findings.append(
            Finding(
                "vague",
                f"The description is vague: {' and '.join(p for p in (said, few) if p)}.",
                "Name the tasks and the data it handles (e.g. 'refund status, invoices, "
                "payment reminders') instead of general words.",
            )
        )
    overlaps = closest_agents(draft, pool)
    if not T.negated_positions(description):
        near = overlaps[0].slug if overlaps else None
        findings.append(
            Finding(
                "no_limits",
                "The description never says what this agent does not do.",
                f"Add a sentence such as 'Not for … (use {near})' naming what belongs to its "
                "closest neighbour."
                if near
                else "Add a sentence such as 'Not for …' naming requests it should not get.",
            )
        )
    if not draft.examples and not _EXAMPLE_IN_TEXT_RE.search(description):
        findings.append(
            Finding(
                "no_example",
                "There is no example request.",
                "Add three to five short example requests (one per line) in Example queries.",
            )
        )
    close = [c for c in overlaps if c.score >= OVERLAP_THRESHOLD]
    if close:
        top = close[0]
        findings.append(
            Finding(
                "overlap",
                f"Overlaps with {', '.join(f'{c.slug} ({c.score:.2f})' for c in close)}: "
                f"they share {', '.join(top.shared_terms) or 'their vocabulary'}.",
                f"Say how it differs from {top.slug}: drop or qualify the shared terms, or add "
                f"'Not for … (use {top.slug})' and an example only this agent handles.",
                close,
            )
        )
    if route_examples:
        findings.extend(_examples_elsewhere(draft, pool))
    return findings


def quality(findings: list[Finding]) -> str:
    """The list badge: 'good', or the finding codes."""
    return "good" if not findings else ", ".join(f.code for f in findings)


# --------------------------------------------------------------------------- overlap


def _bag(agent: router.AgentProfile) -> dict[str, tuple[float, str]]:
    """feature → (strength, a word of the agent's that carries it), negations left out."""
    text = " . ".join(
        [agent.name or "", " . ".join(agent.capabilities or ()), agent.description or ""]
        + list(agent.examples or ())
    )
    bag: dict[str, tuple[float, str]] = {}
    for term in T.terms(text, doc=True):
        if term.negated or term.surface in T.WEAK_WORDS:
            continue
        for feature, strength in term.features:
            base = T.base_feature(feature)
            label = f"≈{base[1:]}" if base.startswith("#") else term.surface
            old = bag.get(base)
            bag[base] = (max(strength, old[0]) if old else strength, old[1] if old else label)
    return bag


def closest_agents(draft: router.AgentProfile, pool: list[router.AgentProfile]) -> list[Closest]:
    """The agents of ``pool`` most similar to ``draft``, best first (TF-IDF cosine)."""
    bags = {a.slug: _bag(a) for a in pool}
    mine = _bag(draft)
    docs = [mine, *bags.values()]
    df: dict[str, int] = {}
    for bag in docs:
        for feature in bag:
            df[feature] = df.get(feature, 0) + 1
    n = len(docs) + router.BACKGROUND_DOCS

    def vector(bag: dict[str, tuple[float, str]]) -> dict[str, float]:
        return {f: s * math.log(1 + n / df[f]) for f, (s, _) in bag.items()}

    mv = vector(mine)
    m_norm = math.sqrt(sum(v * v for v in mv.values())) or 1.0
    out = []
    for slug, bag in bags.items():
        ov = vector(bag)
        o_norm = math.sqrt(sum(v * v for v in ov.values())) or 1.0
        shared = {f: mv[f] * ov[f] for f in mv.keys() & ov.keys()}
        score = sum(shared.values()) / (m_norm * o_norm)
        if score <= 0:
            continue
        words: list[str] = []
        for f in sorted(shared, key=lambda f: (-shared[f], f)):
            label = mine[f][1]
            if label not in words:
                words.append(label)
        out.append(Closest(slug, round(score, 2), words[:SHARED_TERMS]))
    out.sort(key=lambda c: (-c.score, c.slug))
    return out[:CLOSEST]


def _examples_elsewhere(
    draft: router.AgentProfile, pool: list[router.AgentProfile]
) -> list[Finding]:
    """Each example routed as if it were not there (leave one out): an example only
    reaches its agent by being one says nothing."""
    findings = []
    examples = list(draft.examples or ())
    for i, example in enumerate(examples):
        rest = replace(draft, examples=examples[:i] + examples[i + 1 :])
        decision = router.route(example, sorted([*pool, rest], key=lambda a: a.slug))
        if draft.slug in decision.agents:
            continue
        went = ", ".join(decision.agents) or "no agent"
        findings.append(
            Finding(
                "example_elsewhere",
                f"The example {example!r} routes to {went}, not to this agent.",
                "Use its key words in the description, or add a counter-example to "
                f"{decision.agents[0]}."
                if decision.agents
                else "Use its key words in the description.",
            )
        )
    return findings
