"""Phase 5: one answer from the sub-agents' outputs. Errors are never treated as answers."""

import json
import re

from canvas.components import CoordinatorConfig
from coordinator.llm import Model, Usage, local_task
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
    outcomes: list[AgentOutcome] = context["outcomes"]
    succeeded = [o for o in outcomes if o.status == "succeeded" and output_text(o.output)]
    empty = [o for o in outcomes if o.status == "succeeded" and not output_text(o.output)]
    failed = [o for o in outcomes if o.status == "failed"]
    parts = []
    if len(succeeded) == 1:
        parts.append(output_text(succeeded[0].output))
    else:
        parts.extend(f"**{o.agent}**: {output_text(o.output)}" for o in succeeded)
    if failed:
        parts.append(
            "Not available: "
            + "; ".join(f"{o.agent} failed ({o.error.splitlines()[0][:200]})" for o in failed)
        )
    if not succeeded:
        parts.insert(0, "No sub-agent produced an answer.")
    sources = sorted({o.agent for o in succeeded} | {o.agent for o in empty})
    return SynthesisResult(
        answer="\n\n".join(p for p in parts if p),
        insights=key_insights([output_text(o.output) for o in succeeded]),
        rows=dedupe_rows(merged_rows(succeeded)),
        failed_agents=sorted({o.agent for o in failed}),
        sources=sources,
        reasons=[f"extractive synthesis of {len(succeeded)} output(s); {len(failed)} failed"],
    )
