"""What steps see: the expression context, and each sub-agent's history per the context policy."""

from __future__ import annotations

from django.utils import timezone

from coordinator.lexical import summarize
from coordinator.llm import truncate_history


def expression_context(run, rows) -> dict:
    steps = {}
    for row in rows:
        if row.superseded:
            continue
        steps[row.step_id] = {"output": row.output, "status": row.status, "error": row.error}
    return {
        "input": run.input or {},
        "query": run.query,
        "steps": steps,
        "run": {"id": str(run.pk), "query": run.query, "trigger": run.trigger},
    }


def history_for(run, policy: dict | None, model: str | None = None) -> list[dict]:
    """The conversation history a sub-agent receives, plus interventions, within the token limit."""
    policy = policy or {}
    mode = policy.get("mode", "full")
    history = [t for t in (run.history or []) if t.get("content")]
    if mode == "none":
        history = []
    elif mode == "last_n":
        history = history[-int(policy.get("last_n", 6)) * 2 :]
    elif mode == "summary" and len(history) > 4:
        history = [_summary_turn(history[:-2]), *history[-2:]]
    for item in run.interventions or []:
        history.append(
            {
                "role": "user",
                "content": f"[Intervention from {item.get('by') or 'operator'}] {item['text']}",
            }
        )
    return truncate_history(history, int(policy.get("max_tokens", 8000)), model)


def _summary_turn(turns: list[dict]) -> dict:
    text = "\n".join(f"{t['role']}: {t['content']}" for t in turns)
    return {
        "role": "system",
        "content": "Summary of the earlier conversation: " + summarize(text).text,
    }


def now_iso() -> str:
    return timezone.now().isoformat()
