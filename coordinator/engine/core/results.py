"""A finished run's result: the answer, the output it came from, who failed."""

from __future__ import annotations

from coordinator.phases.synthesis import output_text


def run_result(run, rows, partial: bool = False) -> dict:
    rows = [r for r in rows if not r.superseded]
    top = [r for r in rows if not r.parent]
    by_id = {r.step_id: r for r in top}
    result_id = (run.plan or {}).get("result")
    source = by_id.get(result_id) if result_id else None
    if source is None or source.status != "succeeded":
        sinks = _sinks(top)
        done = [r for r in sinks if r.status == "succeeded"] or [
            r for r in top if r.status == "succeeded"
        ]
        source = done[-1] if done else None
    failed_agents = sorted(
        {r.agent or r.step_id for r in rows if r.status == "failed" and r.type == "agent"}
    )
    output = source.output if source else None
    answer = output_text(output)
    if isinstance(output, dict):
        failed_agents = sorted(set(failed_agents) | set(output.get("failed_agents") or []))
    if partial:
        completed = [r for r in rows if r.status == "succeeded" and r.type == "agent"]
        texts = [
            f"**{r.agent}**: {output_text(r.output)}" for r in completed if output_text(r.output)
        ]
        answer = answer or "\n\n".join(texts)
    return {
        "answer": answer,
        "output": output,
        "step": source.step_id if source else None,
        "failed_agents": failed_agents,
        "partial": partial,
    }


def _sinks(rows):
    depended = {d for r in rows for d in (r.depends_on or [])}
    return [r for r in rows if r.step_id not in depended]


def as_markdown(run) -> str:
    result = run.result or {}
    lines = [
        f"# {run.canvas.name}",
        "",
        f"**Query:** {run.query}" if run.query else "",
        "",
        f"**Status:** {run.status}",
        "",
        "## Answer",
        "",
        result.get("answer") or "_(no answer)_",
    ]
    output = result.get("output")
    if isinstance(output, dict) and output.get("insights"):
        lines += ["", "## Key insights", ""] + [f"- {i}" for i in output["insights"]]
    if isinstance(output, dict) and output.get("rows"):
        rows = output["rows"]
        keys = list(dict.fromkeys(k for row in rows for k in row))
        lines += ["", "## Data", "", "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        lines += [
            "| " + " | ".join(str(r.get(k, "")).replace("|", "\\|") for k in keys) + " |"
            for r in rows
        ]
    if result.get("failed_agents"):
        lines += ["", "## Failed agents", ""] + [f"- {a}" for a in result["failed_agents"]]
    if run.error:
        lines += ["", f"**Error:** {run.error}"]
    return "\n".join(lines).strip() + "\n"


def preview(output) -> str:
    """The first words of a step's output, for events and lists."""
    return output_text(output)[:500]
