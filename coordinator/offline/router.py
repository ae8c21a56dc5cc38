"""The routing brain of the built-in offline model ``baton/local``: phases 1 and 2.

Pure functions, no network, no ORM. See docs/routing.md for the rules in prose.

* :func:`score_agents` — BM25-style relevance of a query to each agent's name, description
  and capability tags, with synonym (concept) expansion, IDF over the agent set and a
  character n-gram fallback for typos. Scores are squashed into [0, 1] with a fixed scale,
  so they are comparable across queries and an absolute threshold means something.
* :func:`analyse_complexity` — phase 1: split the query into sub-tasks, find the agents the
  sub-tasks need, and decide NONE / LOW / MEDIUM / HIGH.
* :func:`select_agents` — phase 2: pick agents for those sub-tasks by strategy
  (``capability_based``, ``load_balanced``, ``priority_based``).
* :func:`route` — both in one call.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from . import text as T

Level = Literal["LOW", "MEDIUM", "HIGH", "NONE"]
Strategy = Literal["capability_based", "load_balanced", "priority_based"]
STRATEGIES: tuple[str, ...] = ("capability_based", "load_balanced", "priority_based")

# ---------------------------------------------------------------------------------------
# Tunables (calibrated on bench/routing/dev.json; documented in docs/routing.md)
# ---------------------------------------------------------------------------------------

RELEVANCE_THRESHOLD = 0.40  # an agent below this is "not relevant" (→ NONE if nobody is)
SECONDARY_THRESHOLD = 0.45  # a 2nd agent inside one sub-task needs this on the leftover words
BACKREF_THRESHOLD = 0.30  # a later sub-task that still scores this on an earlier agent uses it
CAPABLE_MARGIN = 0.10  # "capable" = relevant and within this of the sub-task's best score
PARSIMONY_MARGIN = 0.05  # a clause joins an already-needed agent scoring this close to its best
COVERAGE_FLOOR = 0.7  # score × (floor + (1 - floor) × share of the query the agent matched)
SCORE_SCALE = 1.4  # score = 1 - exp(-raw / SCORE_SCALE); raw 1.0 = one unique exact word
BM25_K1 = 1.2
BM25_B = 0.5
BACKGROUND_DOCS = 10  # pseudo-documents added to the IDF so tiny agent sets still get IDF
FIELD_WEIGHTS = {"name": 1.5, "capabilities": 1.5, "description": 1.0, "examples": 0.8}
# Example queries teach vocabulary the description does not use ("refund policy" for a docs
# agent): a word only the examples have counts once, at FIELD_WEIGHTS["examples"];
# words the description already has are not amplified, generic words (WEAK_WORDS) are not
# learned, and examples do not count towards the document's length. (Summing every example
# word, at any weight, cost dev.json NONE accuracy: "find", "order" … matched off-topic
# queries.)
FUZZY_MIN_SIMILARITY = 0.7
CONCEPT_EXTRA = 1.0  # weight of each further word of a concept in one description (see below)
FUZZY_WEIGHT = 0.85
PREFIX_MIN = 6  # a derived form shares at least this many letters with its stem
DERIVED_WEIGHT = 0.9  # "reservation" for "reserve": nearly the word itself
_DERIVATIONAL = frozenset(["at", "t", "pt", "e", "i", "y", "ic", "iv", "ant", "ent", "al", "ion"])


# ---------------------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------------------


@dataclass
class AgentProfile:
    """What routing needs to know about an agent (mirrors canvas.Agent, no ORM)."""

    slug: str
    name: str
    description: str
    capabilities: Sequence[str] = ()
    priority: int = 0
    in_flight: int = 0
    enabled: bool = True
    # Requests this agent should get ("Where is my parcel?") and, optionally, requests that
    # look like its domain but belong elsewhere: the router learns words from the first and
    # ignores for this agent words only the second use.
    examples: Sequence[str] = ()
    counter_examples: Sequence[str] = ()


@dataclass
class AgentScore:
    slug: str
    score: float
    matched_terms: list[str] = field(default_factory=list)
    reason: str = ""
    positions: tuple[int, ...] = ()  # positions of the query words it matched


@dataclass
class Aspect:
    """One sub-task of the query and the agent phase 1 found for it."""

    sub_query: str
    agent: str
    score: float
    ranking: list[AgentScore]  # relevant agents for this sub-task, best first
    fragment: int  # index of the fragment (clause) it came from
    depends_on_previous: bool = False


@dataclass
class ComplexityResult:
    level: Level
    candidates: list[AgentScore]
    reasons: list[str]
    sub_queries: list[str]
    aspects: list[Aspect] = field(default_factory=list)


@dataclass
class SelectionResult:
    agents: list[str]
    scores: dict[str, float]
    reasons: list[str]


@dataclass
class RouteDecision:
    level: Level
    agents: list[str]
    scores: dict[str, float]
    reasons: list[str]
    sub_queries: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Index
# ---------------------------------------------------------------------------------------

AgentKey = tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@dataclass
class Index:
    """Agents' texts compiled for scoring. Immutable once built, apart from the fuzzy cache."""

    slugs: tuple[str, ...]
    # feature → ((doc index, idf-weighted saturated tf), ...)
    postings: dict[str, tuple[tuple[int, float], ...]]
    surface: frozenset[str]  # words fuzzy matching may correct a typo to
    surface_by_first: dict[str, tuple[str, ...]]
    # doc index → words its description rules out ("Not for support tickets"), minus any
    # it also claims: a query word among them never counts for that agent
    blocked: dict[int, frozenset[str]] = field(default_factory=dict)
    # doc index → the word keys of its counter-examples: a query made mostly of them is
    # "like a request this agent should not get"
    counter: dict[int, frozenset[str]] = field(default_factory=dict)
    stems_by_prefix: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fuzzy_cache: dict[str, tuple[str, float] | None] = field(default_factory=dict)

    def has(self, feature: str) -> bool:
        return feature in self.postings


def agent_key(agents: Iterable[AgentProfile]) -> tuple[AgentKey, ...]:
    """The cache key of an agent set: what the index depends on (not load or priority)."""
    return tuple(
        (
            a.slug,
            a.name or "",
            a.description or "",
            tuple(a.capabilities or ()),
            tuple(a.examples or ()),
            tuple(a.counter_examples or ()),
        )
        for a in agents
    )


def build_index(agents: Iterable[AgentProfile]) -> Index:
    """The index of ``agents`` (cached on their slugs, names, descriptions and tags)."""
    return _build_index(agent_key(agents))


@lru_cache(maxsize=64)
def _build_index(key: tuple[AgentKey, ...]) -> Index:
    lex = T.lexicon()
    tfs: list[dict[str, float]] = []
    lengths: list[float] = []
    surface: set[str] = set(lex.surface)
    blocked: dict[int, frozenset[str]] = {}
    counter_keys: dict[int, frozenset[str]] = {}
    for doc_index, (slug, name, description, capabilities, examples, counter) in enumerate(key):
        tf: dict[str, float] = {}
        concept_parts: dict[str, list[float]] = {}
        length = 0.0
        name = name or slug.replace("-", " ").replace("_", " ")
        kept = [w for w in name.split() if w.lower().strip(".,&:()") not in T.NAME_ROLE_WORDS]
        fields = (
            ("name", " ".join(kept) or name),
            ("capabilities", " . ".join(capabilities)),
            ("description", description),
            ("examples", " . ".join(examples)),
        )
        # The fields are one text for word senses: "Box Office" + "concerts" → event tickets.
        resolved = T.disambiguate([T.raw_terms(text, doc=True) for _, text in fields])
        claimed: set[str] = set()
        ruled_out: set[str] = set()
        learned: set[str] = set()
        for (fname, text), field_terms in zip(fields, resolved, strict=True):
            weight = FIELD_WEIGHTS[fname]
            for term in field_terms:
                if term.negated:
                    ruled_out.add(term.key)
                    continue
                claimed.add(term.key)
                if fname == "examples":
                    _learn_from_example(term, weight, tf, learned)
                    continue
                length += 1
                for feature, strength in term.features:
                    if feature.startswith("#"):
                        concept_parts.setdefault(feature, []).append(weight * strength)
                    else:
                        tf[feature] = tf.get(feature, 0.0) + weight * strength
            negated = T.negated_positions(text)
            surface.update(
                w for i, w in enumerate(T.words(text)) if len(w) >= 4 and i not in negated
            )
        # Words only the counter-examples use ("payroll" in "Run payroll" for an HR-policy
        # agent) are ruled out like a "not for …" in the description.
        keys = {
            t.key
            for t in T.raw_terms(" . ".join(counter), doc=True)
            if t.surface not in T.WEAK_WORDS
        }
        ruled_out.update(keys)
        if keys:
            counter_keys[doc_index] = frozenset(keys)
        if ruled_out - claimed:
            blocked[doc_index] = frozenset(ruled_out - claimed)
        # A concept's frequency: its strongest mention plus CONCEPT_EXTRA × the others, so
        # an agent *about* weather (weather, rain, wind …) outranks one that mentions rain
        # once; BM25 saturation keeps a synonym-rich description from running away. (1.0 is
        # the plain BM25 sum; dev.json scored the same anywhere in 0.25–1.0, 0 was worse.)
        for feature, parts in concept_parts.items():
            parts.sort(reverse=True)
            tf[feature] = parts[0] + CONCEPT_EXTRA * sum(parts[1:])
        tfs.append(tf)
        lengths.append(max(length, 1.0))
    n = len(key)
    avg = sum(lengths) / n if n else 1.0
    df: dict[str, int] = {}
    for tf in tfs:
        for feature in tf:
            df[feature] = df.get(feature, 0) + 1
    total = n + BACKGROUND_DOCS
    idf_max = math.log(1 + (total - 1 + 0.5) / 1.5)
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, tf in enumerate(tfs):
        norm = 1 - BM25_B + BM25_B * lengths[i] / avg
        for feature, freq in tf.items():
            idf = math.log(1 + (total - df[feature] + 0.5) / (df[feature] + 0.5)) / idf_max
            sat = freq * (BM25_K1 + 1) / (freq + BM25_K1 * norm)
            postings.setdefault(feature, []).append((i, idf * sat))
    by_first: dict[str, list[str]] = {}
    for word in sorted(surface):
        by_first.setdefault(word[0], []).append(word)
    by_prefix: dict[str, list[str]] = {}
    for feature in sorted(postings):
        plain = not feature.startswith("#") and "|" not in feature and feature.isalpha()
        if plain and len(feature) >= PREFIX_MIN:
            by_prefix.setdefault(feature[:PREFIX_MIN], []).append(feature)
    return Index(
        slugs=tuple(k[0] for k in key),
        postings={f: tuple(p) for f, p in postings.items()},
        surface=frozenset(surface),
        surface_by_first={k: tuple(v) for k, v in by_first.items()},
        blocked=blocked,
        counter=counter_keys,
        stems_by_prefix={k: tuple(v) for k, v in by_prefix.items()},
    )


def _learn_from_example(
    term: T.Term, weight: float, tf: dict[str, float], learned: set[str]
) -> None:
    """Add an example word the agent's own text lacks, once, at ``weight`` (``learned``
    holds those the examples added so far). Its concepts are not learned: "Ship build 4.2"
    would teach a deploy agent #shipping, and parcels would follow (dev2.json with examples:
    NONE accuracy 0.846 words only, 0.615 with concepts)."""
    if term.surface in T.WEAK_WORDS:
        return
    for feature, strength in term.features:
        if feature.startswith("#") or "|" in feature:
            continue
        if feature in tf and feature not in learned:
            continue  # the description has it: not amplified
        learned.add(feature)
        tf[feature] = max(tf.get(feature, 0.0), weight * strength)


def _derived(index: Index, key: str) -> str | None:
    """A stem of the index that is ``key`` with a derivational ending more or less
    ("reserv" / "reservat", "consum" / "consumpt"), for word forms the stemmer does not
    join. Both must share at least PREFIX_MIN letters."""
    if len(key) < PREFIX_MIN or not key.isalpha():
        return None
    for candidate in index.stems_by_prefix.get(key[:PREFIX_MIN], ()):
        short, long_ = sorted((key, candidate), key=len)
        if candidate != key and long_.startswith(short) and long_[len(short) :] in _DERIVATIONAL:
            return candidate
    return None


def _fuzzy(index: Index, word: str) -> tuple[str, float] | None:
    """The known word ``word`` is most likely a misspelling of, with its similarity."""
    if word in index.fuzzy_cache:
        return index.fuzzy_cache[word]
    best: tuple[str, float] | None = None
    if len(word) >= 4 and word.isalpha():
        pool = set(index.surface_by_first.get(word[0], ()))
        pool.update(index.surface_by_first.get(word[1], ()))
        for candidate in sorted(pool):
            if abs(len(candidate) - len(word)) > 2:
                continue
            sim = T.typo_similarity(word, candidate)
            if sim >= FUZZY_MIN_SIMILARITY and (best is None or sim > best[1]):
                best = (candidate, sim)
    index.fuzzy_cache[word] = best
    return best


def _expand(index: Index, term: T.Term) -> tuple[tuple[str, float], ...]:
    """A query term's features, plus a derived form or a typo correction when nothing else
    is known of it."""
    if not index.has(term.key) and " " not in term.surface and not term.named:
        derived = _derived(index, term.key)
        if derived is not None:
            return tuple(sorted({**dict(term.features), derived: DERIVED_WEIGHT}.items()))
    known = any(index.has(f) for f, _ in term.features) or len(term.features) > 1
    if known or term.named or " " in term.surface or term.surface in index.surface:
        return term.features  # a name or a real word we know is not a typo
    hit = _fuzzy(index, term.surface)
    if hit is None:
        return term.features
    corrected = T.terms(hit[0])
    if not corrected:
        return term.features
    feats = dict(term.features)
    for feature, strength in corrected[0].features:
        feats[feature] = max(feats.get(feature, 0.0), strength * hit[1] * FUZZY_WEIGHT)
    return tuple(sorted(feats.items()))


# ---------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------


@dataclass
class _Match:
    raw: float
    per_term: dict[int, float]  # term position → contribution
    labels: list[str]


def _squash(raw: float) -> float:
    return 1.0 - math.exp(-raw / SCORE_SCALE)


def _match_terms(index: Index, terms: Sequence[T.Term]) -> list[_Match]:
    """Raw BM25-style evidence per agent for ``terms``."""
    out = [_Match(0.0, {}, []) for _ in index.slugs]
    for term in terms:
        best: dict[int, tuple[float, str]] = {}
        for feature, strength in _expand(index, term):
            for doc, weight in index.postings.get(feature, ()):
                if doc in index.blocked and term.key in index.blocked[doc]:
                    continue
                value = strength * weight
                if doc not in best or value > best[doc][0]:
                    best[doc] = (value, feature)
        for doc, (value, feature) in best.items():
            contribution = term.weight * value
            match = out[doc]
            match.raw += contribution
            match.per_term[term.position] = contribution
            if feature.startswith("#"):
                match.labels.append(f"{term.surface}≈{feature[1:]}")
            elif T.base_feature(feature) == term.key:
                match.labels.append(term.surface)
            else:
                match.labels.append(f"{term.surface}~{T.base_feature(feature)}")
    return out


def _coverage(terms: Sequence[T.Term], match: _Match) -> float:
    """The share of the query's meaningful weight an agent matched. Unmatched names
    (Title-case words such as "Rotterdam") do not count against it."""
    total = sum(t.weight for t in terms if t.position in match.per_term or not t.named)
    matched = sum(t.weight for t in terms if t.position in match.per_term)
    return matched / total if total else 0.0


def _score(terms: Sequence[T.Term], match: _Match) -> float:
    """Evidence squashed into [0, 1], discounted when the agent explains only a small part
    of what was asked ("the plot of Inception" is not a charting request)."""
    if not match.per_term:
        return 0.0
    coverage = _coverage(terms, match)
    return round(_squash(match.raw) * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage), 4)


def _counter_share(terms: Sequence[T.Term], counter: frozenset[str] | None) -> float:
    """The share of the query's weight that an agent's counter-examples use: its score
    loses that share ("Review this supplier contract" keeps contracts from code review)."""
    if not counter:
        return 0.0
    content = [t for t in terms if t.surface not in T.WEAK_WORDS]
    total = sum(t.weight for t in content)
    return sum(t.weight for t in content if t.key in counter) / total if total else 0.0


def _scores(index: Index, terms: Sequence[T.Term], label: str = "") -> list[AgentScore]:
    matches = _match_terms(index, terms)
    scores = []
    for doc, (slug, match) in enumerate(zip(index.slugs, matches, strict=True)):
        score = _score(terms, match)
        like = _counter_share(terms, index.counter.get(doc)) if score else 0.0
        if like:
            score = round(score * (1 - like), 4)
        reason = (
            f"{slug} {score:.2f}"
            + (f" on {label!r}" if label else "")
            + (f" (matched {', '.join(match.labels)})" if match.labels else " (no match)")
            + (f" (−{like:.0%}: like its counter-examples)" if like else "")
        )
        scores.append(
            AgentScore(slug, score, list(match.labels), reason, tuple(sorted(match.per_term)))
        )
    scores.sort(key=lambda s: (-s.score, s.slug))
    return scores


def _enabled(agents: Iterable[AgentProfile]) -> list[AgentProfile]:
    return [a for a in agents if a.enabled]


def score_agents(query: str, agents: list[AgentProfile]) -> list[AgentScore]:
    """Relevance of every enabled agent to the whole ``query``, best first, in [0, 1]."""
    pool = _enabled(agents)
    if not pool:
        return []
    return _scores(build_index(pool), T.terms(query))


# ---------------------------------------------------------------------------------------
# Decomposition into sub-tasks
# ---------------------------------------------------------------------------------------

_SEQ = r"and then|then|and after that|after that|and afterwards|afterwards|followed by|and finally|finally|and once done|once done|and next|and use (?:it|them|that|those) to"
_PAR = r"and also|also|as well as|in addition to|in addition|additionally|plus|and in parallel|in parallel|and separately|separately|and meanwhile|meanwhile|and in the meantime|in the meantime|at the same time|and at the same time|while also"
_SPLIT_RE = re.compile(
    rf"\s*(?:,\s*)?\b(?P<seq>{_SEQ})\b,?\s*|\s*(?:,\s*)?\b(?P<par>{_PAR})\b,?\s*|\s*,?\s*\b(?P<and>and)\b\s*,?\s*|\s*[,&]\s*",
    re.IGNORECASE,
)
_COMPARE_RE = re.compile(
    r"\b(?:compare|comparing|contrast)\b(?P<a>.+?)\b(?:with|to|against|and|vs\.?|versus)\b(?P<b>.+)",
    re.IGNORECASE,
)
_SENTENCE_RE = re.compile(r"(?<=[.?!;])\s+|\n+")
_PAR_CUE_RE = re.compile(
    r"\b(also|as well|too|in parallel|separately|independently|meanwhile|in the meantime|at the same time)\b",
    re.IGNORECASE,
)
_REFERENCE_RE = re.compile(
    r"\bbased on\b[^,;]*|\b(?:using|with|from|use) (?:the|those|these|its|their) "
    r"(?:results?|findings|outputs?|answers?|summary|list|numbers|figures)\b",
    re.IGNORECASE,
)
_SEQ_CUE_RE = re.compile(
    r"\b(then|after that|afterwards|based on|using (?:it|them|that|those|these|the)|use (?:it|them|that|those|these|the)"
    r"|with (?:the|those|these) (?:results?|findings|output|numbers|data|summary|list)"
    r"|the (?:results?|findings|output|summary|list|answer|cost|costs|bill|total|amount)"
    r"|the (?:best|worst|top|biggest|largest|highest|lowest|most \w+) (?:\w+ )?(?:one|ones|story|stories|item|items|result|results)"
    r"|it|them|those|these|their|each of)\b",
    re.IGNORECASE,
)


@dataclass
class Fragment:
    text: str
    joiner: str  # how it joins the previous fragment: start, sentence, seq, par, and, compare
    context: bool = False  # a heading ("For the board meeting: ...") — not a task itself

    @property
    def task_text(self) -> str:
        """The clause without references to earlier results ("… based on the action
        items"): those words say what the task uses, not what it is."""
        return _REFERENCE_RE.sub(" ", self.text).strip()

    @property
    def par_cue(self) -> bool:
        return self.joiner in ("par", "compare") or bool(_PAR_CUE_RE.search(self.text))

    @property
    def seq_cue(self) -> bool:
        return self.joiner == "seq" or bool(_SEQ_CUE_RE.search(self.text))


def split_query(query: str) -> list[Fragment]:
    """Split a query into clauses (candidate sub-tasks), remembering how each one joins the
    previous: a sequence marker ("then", "after that"), a parallel marker ("also", "as well
    as", "in parallel", "compare X with Y"), a plain "and"/comma, or a new sentence."""
    text = query.replace("\u2019", "'").strip()  # keep case: it tells names apart
    fragments: list[Fragment] = []
    for s_index, sentence in enumerate(s for s in _SENTENCE_RE.split(text) if s.strip()):
        sentence = sentence.strip().rstrip(".?!;").strip()
        first_joiner = "start" if s_index == 0 else "sentence"
        head, sep, tail = sentence.partition(":")
        if sep and tail.strip() and len(head.split()) <= 8:
            fragments.append(Fragment(head.strip(), first_joiner, context=True))
            sentence, first_joiner = tail.strip(), "and"
        compare = _COMPARE_RE.search(sentence)
        if compare:
            before = sentence[: compare.start()].strip()
            if before:
                fragments.extend(_split_clause(before, first_joiner))
                first_joiner = "and"
            fragments.extend(_split_clause(compare.group("a").strip(), first_joiner))
            fragments.extend(_split_clause(compare.group("b").strip(), "compare"))
            continue
        fragments.extend(_split_clause(sentence, first_joiner))
    return [f for f in fragments if f.text] or [Fragment(text, "start")]


def _split_clause(clause: str, first_joiner: str) -> list[Fragment]:
    out: list[Fragment] = []
    pos, joiner = 0, first_joiner
    for match in _SPLIT_RE.finditer(clause):
        piece = clause[pos : match.start()].strip(" ,")
        kind = "seq" if match.group("seq") else "par" if match.group("par") else "and"
        if piece:
            out.append(Fragment(piece, joiner))
            joiner = kind
        else:
            # consecutive separators (", and then"): the most specific one wins
            joiner = kind if kind != "and" or joiner in ("start", "sentence") else joiner
            if not out and kind == "and":
                joiner = first_joiner
        pos = match.end()
    rest = clause[pos:].strip(" ,")
    if rest:
        out.append(Fragment(rest, joiner))
    return out


# Concepts of places information is looked up in: a clause that only names one ("Check the
# manual.", "Pull it from the warehouse.") says where the previous task looks, it is not a task.
SOURCE_CONCEPTS = frozenset(["#docs", "#database", "#web", "#document"])


def _is_source_directive(fragment: Fragment) -> bool:
    content = [t for t in T.terms(fragment.task_text) if t.surface not in T.WEAK_WORDS]
    return 0 < len(content) <= 2 and all(
        any(f in SOURCE_CONCEPTS for f, _ in t.features) for t in content
    )


def _merge_source_directives(fragments: list[Fragment]) -> list[Fragment]:
    out: list[Fragment] = []
    for fragment in fragments:
        if (
            out
            and not out[-1].context
            and fragment.joiner in ("sentence", "and")
            and _is_source_directive(fragment)
        ):
            previous = out[-1]
            out[-1] = Fragment(f"{previous.text}; {fragment.text}", previous.joiner)
            continue
        out.append(fragment)
    return out


# ---------------------------------------------------------------------------------------
# Phase 1: complexity
# ---------------------------------------------------------------------------------------


def _relevant(scores: list[AgentScore], threshold: float) -> list[AgentScore]:
    return [s for s in scores if s.score >= threshold]


def _capable(scores: list[AgentScore]) -> list[AgentScore]:
    """Relevant agents within CAPABLE_MARGIN of the best one."""
    relevant = _relevant(scores, RELEVANCE_THRESHOLD)
    if not relevant:
        return []
    floor = relevant[0].score - CAPABLE_MARGIN
    return [s for s in relevant if s.score >= floor]


@dataclass
class _Analysis:
    level: Level
    aspects: list[Aspect]
    whole: list[AgentScore]
    reasons: list[str]
    fragments: list[Fragment]


def _analyse(query: str, agents: Sequence[AgentProfile]) -> _Analysis:
    pool = _enabled(agents)
    key = agent_key(pool)
    return _analyse_cached(query, key)


@dataclass(frozen=True)
class _Clause:
    """A clause that is a task of its own, with the agents ranked for it."""

    position: int  # index of the fragment in the split query
    fragment: Fragment
    terms: tuple[T.Term, ...]
    ranking: list[AgentScore]


@lru_cache(maxsize=512)
def _analyse_cached(query: str, key: tuple[AgentKey, ...]) -> _Analysis:
    """Phase 1 in four steps: score each clause, give clauses agents, link the agents'
    sub-tasks, decide the level. Cached on the query and the agent texts."""
    if not key:
        return _Analysis("NONE", [], [], ["no enabled agents to route to → NONE"], [])
    index = _build_index(key)
    whole = _scores(index, T.terms(query))
    fragments = _merge_source_directives(split_query(query))
    clauses, reasons = _task_clauses(index, fragments)
    aspects, assigned = _assign_aspects(index, clauses)
    reasons += assigned
    if not aspects:
        aspects = _whole_query_aspect(query, whole)
    if not aspects:
        return _Analysis("NONE", [], whole, [*reasons, _none_reason(whole)], fragments)
    reasons += _link_dependencies(index, aspects, fragments)
    reasons += [_aspect_reason(aspect) for aspect in aspects]
    level, why = _decide_level(aspects)
    return _Analysis(level, aspects, whole, [*reasons, why], fragments)


def _task_clauses(index: Index, fragments: list[Fragment]) -> tuple[list[_Clause], list[str]]:
    """Every clause that is a task of its own, with its ranking, strongest first (a weak,
    ambiguous clause can then join an agent a clearer clause already needs: parsimony),
    and why the others are not."""
    clauses: list[_Clause] = []
    reasons: list[str] = []
    for position, fragment in enumerate(fragments):
        if fragment.context:
            continue
        terms = T.terms(fragment.task_text)
        if not terms:
            continue
        ranking = _scores(index, terms, fragment.text)
        if _relevant(ranking, RELEVANCE_THRESHOLD):
            clauses.append(_Clause(position, fragment, terms, ranking))
        elif ranking and ranking[0].score > 0:
            reasons.append(
                f"sub-task {fragment.text!r}: best {ranking[0].slug} "
                f"{ranking[0].score:.2f} < {RELEVANCE_THRESHOLD:.2f}, not a task of its own"
            )
    clauses.sort(key=lambda clause: (-clause.ranking[0].score, clause.position))
    return clauses, reasons


def _assign_aspects(index: Index, clauses: list[_Clause]) -> tuple[list[Aspect], list[str]]:
    """The agent (or two) each clause needs, in the clauses' order, and why."""
    aspects: list[Aspect] = []
    reasons: list[str] = []
    for clause in clauses:
        relevant = _relevant(clause.ranking, RELEVANCE_THRESHOLD)
        chosen = {a.agent for a in aspects}
        needed = _already_needed_agent(relevant, chosen)
        if needed is not None:
            joined = next(a for a in aspects if a.agent == needed.slug)
            joined.sub_query = f"{joined.sub_query}; {clause.fragment.text}"
            reasons.append(
                f"sub-task {clause.fragment.text!r} → {needed.slug} {needed.score:.2f} "
                f"(already needed; best was {relevant[0].slug} {relevant[0].score:.2f})"
            )
            continue
        found, reason = _clause_aspects(index, clause, relevant, chosen)
        aspects.extend(found)
        if reason:
            reasons.append(reason)
    aspects.sort(key=lambda a: a.fragment)  # stable: keeps the in-clause order
    return aspects, reasons


def _already_needed_agent(relevant: list[AgentScore], chosen: set[str]) -> AgentScore | None:
    """An agent another clause already needs that can take this clause too: it scores nearly
    as well as the best, or the best rests on a single word that it matches too ("…and tell
    me if there are any bugs" after a code review)."""
    best = relevant[0]
    lone = set(best.positions) if len(best.positions) == 1 else set()
    for score in relevant:
        if score.slug in chosen and (
            score.score >= best.score - PARSIMONY_MARGIN or (lone and lone <= set(score.positions))
        ):
            return score
    return None


def _clause_aspects(
    index: Index, clause: _Clause, relevant: list[AgentScore], chosen: set[str]
) -> tuple[list[Aspect], str | None]:
    """The clause's best agent and, when its other words need one, a second agent."""
    fragment, primary = clause.fragment, relevant[0]
    alone = Aspect(fragment.text, primary.slug, primary.score, relevant, clause.position)
    extra = None if fragment.par_cue else _second_agent(index, fragment, clause.terms, primary)
    if extra is None or extra[0].slug in chosen:
        return [alone], None
    second, at_head = extra
    pair = [Aspect(fragment.text, second.slug, second.score, [second], clause.position)]
    # The agent of the clause's opening verb ("*translate* the sales report") works on the
    # other one's output, so it runs last.
    pair.insert(0 if at_head else 1, alone)
    pair[1].depends_on_previous = True
    return pair, (
        f"sub-task {fragment.text!r} needs two agents: {primary.slug} "
        f"{primary.score:.2f} and, on its other words, {second.slug} {second.score:.2f}"
    )


def _whole_query_aspect(query: str, whole: list[AgentScore]) -> list[Aspect]:
    """No clause is a task of its own: the whole query is one, when an agent is relevant."""
    if not whole or whole[0].score < RELEVANCE_THRESHOLD:
        return []
    top = whole[0]
    return [Aspect(query, top.slug, top.score, _relevant(whole, RELEVANCE_THRESHOLD), 0)]


def _link_dependencies(index: Index, aspects: list[Aspect], fragments: list[Fragment]) -> list[str]:
    """Sets whether each aspect from a later clause works on the previous one's result;
    returns why, where a back-reference decided it."""
    reasons: list[str] = []
    for i in range(1, len(aspects)):
        prev, cur = aspects[i - 1], aspects[i]
        if cur.fragment == prev.fragment:
            continue  # decided in _clause_aspects: same clause = one works on the other's output
        earlier = {a.agent for a in aspects[:i]}
        cur.depends_on_previous, reason = _works_on_previous(index, prev, cur, fragments, earlier)
        if reason:
            reasons.append(reason)
    return reasons


def _works_on_previous(
    index: Index, prev: Aspect, cur: Aspect, fragments: list[Fragment], earlier: set[str]
) -> tuple[bool, str | None]:
    """A sequence cue ("then", "based on it") or words of an earlier agent's domain say the
    later clause works on the previous result; a parallel cue ("also", "as well") says it
    does not. A clause that asks a question of its own ("…, and how do I write good
    descriptions?") is a separate ask even if it shares words with the earlier agent's
    domain: only an explicit cue chains it."""
    between = fragments[prev.fragment + 1 : cur.fragment + 1]
    par = any(f.par_cue for f in between)
    seq = any(f.seq_cue for f in between)
    clause = fragments[cur.fragment]
    if seq or par or _asks_its_own_question(clause):
        return seq and not par, None
    referred = _earlier_domain(index, clause, earlier, cur.agent)
    if referred is None:
        return False, None
    return True, (
        f"sub-task {cur.sub_query!r} refers back to {referred.slug}'s domain "
        f"({referred.score:.2f}) → it uses that result"
    )


def _earlier_domain(
    index: Index, clause: Fragment, earlier: set[str], own: str
) -> AgentScore | None:
    """The first earlier agent whose domain the clause's words still score on, through a
    word that the clause's own agent does not explain: "chart the revenue" uses the sales
    result (revenue is no charting word), while "the euro to dollar exchange rate" is the
    currency agent's own ask even though its words also score on a stock market's domain."""
    scores = _scores(index, T.terms(clause.text))
    explained = next((set(s.positions) for s in scores if s.slug == own), set())
    for score in scores:
        if (
            score.slug in earlier
            and score.score >= BACKREF_THRESHOLD
            and not set(score.positions) <= explained
        ):
            return score
    return None


def _aspect_reason(aspect: Aspect) -> str:
    why = aspect.ranking[0].reason.split("(", 1)[-1].rstrip(")") if aspect.ranking else ""
    return f"sub-task {aspect.sub_query!r} → {aspect.agent} {aspect.score:.2f}" + (
        f" ({why})" if aspect.ranking else ""
    )


_QUESTION_WORDS = frozenset(
    (
        "how",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "has",
        "have",
    )
)


def _asks_its_own_question(fragment: Fragment) -> bool:
    head = _head_word(fragment.text)
    return head in _QUESTION_WORDS


def _none_reason(whole: list[AgentScore]) -> str:
    best = whole[0] if whole else None
    if best is not None and best.score > 0:
        return (
            f"no agent is relevant: best was {best.slug} {best.score:.2f} "
            f"< threshold {RELEVANCE_THRESHOLD:.2f} → NONE"
        )
    return "no agent description matches any word of the query → NONE"


def _decide_level(aspects: list[Aspect]) -> tuple[Level, str]:
    """The level the aspects make, and why."""
    first = aspects[0]
    if len(aspects) == 1:
        return "LOW", f"one agent covers the query → LOW ({first.agent} {first.score:.2f})"
    if len(aspects) == 2 and aspects[1].depends_on_previous:
        return "MEDIUM", (
            f"two agents, {aspects[1].agent} works on {first.agent}'s result → MEDIUM (sequential)"
        )
    if len(aspects) == 2:
        return "HIGH", (
            f"two agents on independent aspects ({first.agent}, {aspects[1].agent}) → HIGH (parallel)"
        )
    return "HIGH", f"{len(aspects)} distinct agents needed → HIGH"


def analyse_complexity(query: str, agents: list[AgentProfile]) -> ComplexityResult:
    """Phase 1: how many agents the query needs, and how they relate."""
    analysis = _analyse(query, agents)
    best: dict[str, AgentScore] = {}
    for s in _relevant(analysis.whole, RELEVANCE_THRESHOLD):
        best[s.slug] = s
    for aspect in analysis.aspects:
        for s in aspect.ranking:
            if s.slug not in best or s.score > best[s.slug].score:
                best[s.slug] = s
    candidates = sorted(best.values(), key=lambda s: (-s.score, s.slug))
    if analysis.level == "NONE":
        candidates = []
    return ComplexityResult(
        level=analysis.level,
        candidates=[_copy(s) for s in candidates],
        reasons=list(analysis.reasons),
        sub_queries=[a.sub_query for a in analysis.aspects],
        aspects=[_copy_aspect(a) for a in analysis.aspects],
    )


def _copy(s: AgentScore) -> AgentScore:
    return AgentScore(s.slug, s.score, list(s.matched_terms), s.reason)


def _copy_aspect(a: Aspect) -> Aspect:
    return Aspect(
        a.sub_query,
        a.agent,
        a.score,
        [_copy(s) for s in a.ranking],
        a.fragment,
        a.depends_on_previous,
    )


_FILLER_RE = re.compile(
    r"^(?:(?:please|pls|kindly|now|also|then|and|so|ok|okay|hey|hi)\b[\s,]*"
    r"|(?:can|could|would|will) you\b\s*(?:please\b\s*)?"
    r"|i(?:'d| would)? (?:like|want|need) (?:you )?to\b\s*|help me\b\s*|go ahead and\b\s*"
    r"|let's\b\s*|lets\b\s*)+",
    re.IGNORECASE,
)


def _head_word(fragment_text: str) -> str | None:
    """The clause's imperative verb, if it opens with one ("chart the revenue…" → chart)."""
    rest = _FILLER_RE.sub("", fragment_text.strip())
    first = T.words(rest[:40])
    return first[0] if first else None


def _ambiguous(term: T.Term) -> bool:
    """A word still meaning several concepts after disambiguation."""
    return sum(1 for f, _ in term.features if f.startswith("#")) >= 2


def _second_agent(
    index: Index, fragment: Fragment, f_terms: Sequence[T.Term], primary: AgentScore
) -> tuple[AgentScore, bool] | None:
    """A second agent needed inside one clause, judged on the words the first one did not
    match: it must score SECONDARY_THRESHOLD on them and match at least two of them, or the
    clause's opening verb ("translate the sales report…"). Returns it and whether it
    matched the opening verb."""
    matches = _match_terms(index, f_terms)
    covered = set(matches[index.slugs.index(primary.slug)].per_term)
    leftover = [t for t in f_terms if t.position not in covered]
    if not leftover:
        return None
    head = _head_word(fragment.task_text)
    best: tuple[AgentScore, bool] | None = None
    for slug, match in zip(index.slugs, _match_terms(index, leftover), strict=True):
        if slug == primary.slug or not match.per_term:
            continue
        score = round(_squash(match.raw), 4)  # judged on the leftover words alone
        if score < SECONDARY_THRESHOLD:
            continue
        # Only clear evidence adds an agent: not a generic verb ("open a ticket…", "fix …")
        # and not a word whose sense the clause leaves open ("book" a table, a flight…).
        hit = [t for t in leftover if t.position in match.per_term and not _ambiguous(t)]
        strong = [t for t in hit if t.weight >= 1.0]
        at_head = any(t.surface == head and t.surface not in T.WEAK_WORDS for t in hit)
        if len(strong) < 2 and not at_head:
            continue
        if best is None or score > best[0].score:
            reason = (
                f"{slug} {score:.2f} on {fragment.text!r}, on the words "
                f"{primary.slug} did not match (matched {', '.join(match.labels)})"
            )
            best = (AgentScore(slug, score, list(match.labels), reason), at_head)
    return best


# ---------------------------------------------------------------------------------------
# Phase 2: selection
# ---------------------------------------------------------------------------------------


def _pick(
    pool: list[AgentScore], profiles: dict[str, AgentProfile], strategy: str, taken: set[str]
) -> AgentScore | None:
    fresh = [s for s in pool if s.slug not in taken] or pool
    if not fresh:
        return None
    if strategy == "load_balanced":
        return min(fresh, key=lambda s: (profiles[s.slug].in_flight, -s.score, s.slug))
    if strategy == "priority_based":
        return min(fresh, key=lambda s: (-profiles[s.slug].priority, -s.score, s.slug))
    return min(fresh, key=lambda s: (-s.score, s.slug))


def select_agents(
    query: str,
    agents: list[AgentProfile],
    level: str,
    strategy: str = "capability_based",
    candidates: list[AgentScore] | None = None,
) -> SelectionResult:
    """Phase 2: the agents to run, in execution order.

    Each sub-task's *capable* agents are the enabled ones scoring at least
    RELEVANCE_THRESHOLD and within CAPABLE_MARGIN of that sub-task's best; the strategy
    picks one of them: the best score (capability_based), the fewest in-flight runs
    (load_balanced) or the highest priority (priority_based), ties broken by score then slug.
    ``level`` fixes the count: NONE → 0, LOW → 1, MEDIUM → 2, HIGH → one per aspect (≥ 2).
    ``candidates`` (e.g. from phase 1 or an LLM) restricts the pool to those slugs.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown selection strategy {strategy!r}; expected one of {STRATEGIES}")
    level = level.upper()
    if level == "NONE":
        return SelectionResult([], {}, ["level NONE → no agent selected"])
    profiles = {a.slug: a for a in agents if a.enabled}
    allowed = {c.slug for c in candidates} if candidates else set(profiles)
    analysis = _analyse(query, agents)

    def usable(scores: list[AgentScore]) -> list[AgentScore]:
        return [s for s in _capable(scores) if s.slug in allowed and s.slug in profiles]

    tasks: list[tuple[str, list[AgentScore]]] = [(a.sub_query, a.ranking) for a in analysis.aspects]
    if level == "LOW" or not tasks:
        # One agent wanted: phase 1's single sub-task, else the best on the whole query.
        tasks = tasks[:1] if len(analysis.aspects) == 1 else [(query, analysis.whole)]
    want = {"LOW": 1, "MEDIUM": 2}.get(level, max(2, len(tasks)))
    tasks = tasks[:want]

    chosen: list[str] = []
    scores: dict[str, float] = {}
    reasons: list[str] = []
    for sub_query, ranking in tasks:
        pool = usable(ranking)
        pick = _pick(pool, profiles, strategy, set(chosen))
        if pick is None or pick.slug in chosen:
            continue
        chosen.append(pick.slug)
        scores[pick.slug] = pick.score
        others = ", ".join(f"{s.slug} {s.score:.2f}" for s in pool if s.slug != pick.slug)
        detail = {
            "load_balanced": f", {profiles[pick.slug].in_flight} in flight",
            "priority_based": f", priority {profiles[pick.slug].priority}",
        }.get(strategy, "")
        reasons.append(
            f"{sub_query!r} → {pick.slug} ({pick.score:.2f}{detail}) by {strategy}"
            + (f"; also capable: {others}" if others else "")
        )
    # Pad MEDIUM/HIGH up to two agents from the whole-query ranking when phase 1 (perhaps
    # another model) asked for more agents than the decomposition found.
    if level in ("MEDIUM", "HIGH") and len(chosen) < 2:
        for s in _relevant(analysis.whole, RELEVANCE_THRESHOLD):
            if len(chosen) >= 2:
                break
            if s.slug in chosen or s.slug not in allowed or s.slug not in profiles:
                continue
            chosen.append(s.slug)
            scores[s.slug] = s.score
            reasons.append(
                f"{level} needs two agents: added {s.slug} ({s.score:.2f}), next best on the whole query"
            )
    if not chosen:
        reasons.append(f"no enabled, relevant agent (≥ {RELEVANCE_THRESHOLD:.2f}) to select")
    return SelectionResult(chosen, scores, reasons)


def route(
    query: str, agents: list[AgentProfile], strategy: str = "capability_based"
) -> RouteDecision:
    """Phases 1 and 2 in one call."""
    complexity = analyse_complexity(query, agents)
    selection = select_agents(
        query, agents, complexity.level, strategy, complexity.candidates or None
    )
    level: Level = complexity.level
    if level != "NONE" and not selection.agents:
        level = "NONE"
    return RouteDecision(
        level=level,
        agents=selection.agents,
        scores=selection.scores,
        reasons=complexity.reasons + selection.reasons,
        sub_queries=complexity.sub_queries,
    )
