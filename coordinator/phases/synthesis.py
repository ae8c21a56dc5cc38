"""Phase 5: one answer from the sub-agents' outputs. Errors are never treated as answers."""

import json
import re

from canvas.components import CoordinatorConfig
from coordinator.llm import Model, Usage, local_task
from coordinator.offline import text as T
from coordinator.offline.router import split_query
from coordinator.phases.common import as_json, system
from coordinator.schemas import AgentOutcome, SynthesisResult

INSTRUCTIONS = """Synthesise one answer to the query from the sub-agents' outputs below.
Merge overlapping information, de-duplicate structured rows, list key insights, and name every
agent that failed (never present an error message as an answer). Reply with JSON:
{"answer": str (markdown), "insights": [str], "rows": [object], "failed_agents": [slug],
"sources": [str], "reasons": [str]}"""

TEXT_KEYS = ("text", "answer", "summary", "result", "message", "content")


def synthesise(
    query: str,
    outcomes: list[AgentOutcome],
    model: Model,
    config: CoordinatorConfig,
) -> tuple[SynthesisResult, Usage]:
    succeeded = [o for o in outcomes if o.status == "succeeded"]
    failed = [o.agent for o in outcomes if o.status == "failed"]
    messages = [
        system(config.system_prompt, INSTRUCTIONS),
        {
            "role": "user",
            "content": f"Query: {query}\n\nOutputs:\n"
            + "\n".join(f"[{o.agent}] {as_json(o.output)}" for o in succeeded)
            + (f"\n\nFailed agents: {', '.join(failed)}" if failed else ""),
        },
    ]
    result, usage = model.structured(
        messages,
        SynthesisResult,
        task="synthesis",
        context={"query": query, "outcomes": outcomes},
        temperature=config.temperature,
        thinking_budget=config.thinking_budget,
        timeout=config.sub_agent_timeout,
    )
    # Whatever the model says, the rows are merged deterministically and failures are named.
    rows = dedupe_rows([*merged_rows(succeeded), *result.rows])
    failed_all = sorted(set(result.failed_agents) | set(failed))
    return result.model_copy(update={"rows": rows, "failed_agents": failed_all}), usage


def output_text(output) -> str:
    if output is None:
        return ""
    if isinstance(output, str):
        return output.strip()
    if isinstance(output, dict):
        for key in TEXT_KEYS:
            value = output.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        items = output.get("items")
        if isinstance(items, list) and items:
            return "\n".join(output_text(i) or as_json(i) for i in items)
        return ""
    if isinstance(output, list):
        return "\n".join(output_text(i) for i in output if output_text(i))
    return str(output)


def merged_rows(outcomes: list[AgentOutcome]) -> list[dict]:
    rows: list[dict] = []
    for outcome in outcomes:
        if isinstance(outcome.output, dict):
            for key in ("rows", "items"):
                value = outcome.output.get(key)
                if isinstance(value, list):
                    rows.extend(r for r in value if isinstance(r, dict))
    return rows


def dedupe_rows(rows: list[dict]) -> list[dict]:
    """Rows equal after normalising keys and whitespace/case of string values are one row."""
    seen, unique = set(), []
    for row in rows:
        key = json.dumps(
            {str(k).strip().lower(): _norm(v) for k, v in row.items()}, sort_keys=True, default=str
        )
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def _norm(value):
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


SENTENCE = re.compile(r"(?<=[.!?])\s+")


def key_insights(texts: list[str], limit: int = 5) -> list[str]:
    """Lead sentences and sentences carrying figures, without repeats."""
    picked: list[str] = []
    for text in texts:
        sentences = [s.strip() for s in SENTENCE.split(text) if len(s.strip()) > 20]
        lead = sentences[:1]
        figures = [s for s in sentences[1:] if re.search(r"\d", s)][:1]
        for sentence in lead + figures:
            clean = sentence.lstrip("#*- ").strip()
            if clean and clean.lower() not in {p.lower() for p in picked}:
                picked.append(clean[:300])
    return picked[:limit]


@local_task("synthesis")
def decide_locally(schema, context) -> SynthesisResult:
    """Each part of the question answered under its own heading, the direct answer first,
    sentences another part already said dropped, and what no agent could answer said
    plainly. One part: just its answer."""
    query: str = context["query"]
    outcomes: list[AgentOutcome] = context["outcomes"]
    succeeded = [o for o in outcomes if o.status == "succeeded" and output_text(o.output)]
    empty = [o for o in outcomes if o.status == "succeeded" and not output_text(o.output)]
    failed = [o for o in outcomes if o.status == "failed"]
    sections, seen = [], set()
    for part, group in _parts(query, outcomes):
        bodies = []
        for outcome in group:
            text = output_text(outcome.output) if outcome.status == "succeeded" else ""
            body = _without_repeats(text, seen) if text else ""
            if body:
                bodies.append(body)
        if not bodies and any(o.status == "succeeded" and output_text(o.output) for o in group):
            # every line was already said under another part: say so, not "nothing"
            said = ", ".join(o.agent for o in group if o.status == "succeeded")
            bodies.append(f"{said}: the same answer as above.")
        if not bodies:
            reasons = [
                f"{o.agent} failed ({o.error.splitlines()[0][:200]})"
                if o.status == "failed" and o.error
                else f"{o.agent} {'failed' if o.status == 'failed' else 'returned nothing'}"
                for o in group
            ]
            bodies.append(f"No agent could answer this: {'; '.join(reasons)}.")
        sections.append((part, "\n\n".join(bodies)))
    unanswered = _unanswered(query, [o.query for o in outcomes if o.query])
    if len(sections) == 1 and not unanswered:
        answer = sections[0][1]
    else:
        answer = "\n\n".join(f"### {_heading(part)}\n\n{body}" for part, body in sections)
        if unanswered:
            answer += "\n\n### Not answered\n\n" + "\n".join(
                f"- No agent could answer: {u}" for u in unanswered
            )
    if not outcomes:
        answer = "No sub-agent produced an answer."
    sources = sorted({o.agent for o in succeeded} | {o.agent for o in empty})
    return SynthesisResult(
        answer=answer,
        insights=key_insights([output_text(o.output) for o in succeeded]),
        rows=dedupe_rows(merged_rows(succeeded)),
        failed_agents=sorted({o.agent for o in failed}),
        sources=sources,
        reasons=[
            f"{len(sections)} part(s) answered from {len(succeeded)} output(s); "
            f"{len(failed)} failed; {len(unanswered)} part(s) no agent covered"
        ],
    )


def _parts(query: str, outcomes: list[AgentOutcome]) -> list[tuple[str, list[AgentOutcome]]]:
    """(a part of the question, the outcomes answering it), in stage order. Stages given
    the same part share its heading; skipped and cancelled stages answered nothing."""
    parts: dict[str, list[AgentOutcome]] = {}
    for outcome in outcomes:
        if outcome.status in ("succeeded", "failed"):
            parts.setdefault((outcome.query or query).strip(), []).append(outcome)
    return list(parts.items())


def _heading(part: str) -> str:
    part = " ".join(part.split()).strip(" ,;.")
    part = part[:1].upper() + part[1:]
    first = part.split(" ", 1)[0].lower()
    question = first in QUESTION_WORDS
    return part.rstrip("?") + ("?" if question else "")


QUESTION_WORDS = frozenset(
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
    )
)


def _without_repeats(text: str, seen: set[str]) -> str:
    """``text`` without the lines another part already said (compared loosely)."""
    kept = []
    for line in text.splitlines():
        key = " ".join(re.findall(r"\w+", line.lower()))
        if key and key in seen:
            continue
        if key:
            seen.add(key)
        kept.append(line)
    return "\n".join(kept).strip()


def _unanswered(query: str, stage_queries: list[str]) -> list[str]:
    """Clauses of the question no stage was given (the router found no agent for them)."""
    if not stage_queries:
        return []
    given = {t.key for q in stage_queries for t in T.terms(q)}
    out = []
    for fragment in split_query(query):
        if fragment.context:
            continue
        keys = {t.key for t in T.terms(fragment.text)}
        if keys and not keys & given:
            out.append(fragment.text.strip())
    return out
