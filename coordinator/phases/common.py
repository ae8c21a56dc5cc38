"""Prompt helpers shared by the phases."""

import json

from coordinator.schemas import AgentInfo

MAX_FEW_SHOT = 5


def agents_block(agents: list[AgentInfo]) -> str:
    """The agents as the model sees them; their example requests (and counter-examples)
    are few-shot guidance for routing."""
    return "\n".join(
        f"- {a.slug}: {a.name}. {a.description}"
        + (f" [capabilities: {', '.join(a.capabilities)}]" if a.capabilities else "")
        + (f" [priority {a.priority}, in flight {a.in_flight}]")
        + "".join(
            f"\n    e.g. {json.dumps(e, ensure_ascii=False)}" for e in a.examples[:MAX_FEW_SHOT]
        )
        + "".join(
            f"\n    not for: {json.dumps(e, ensure_ascii=False)}"
            for e in a.counter_examples[:MAX_FEW_SHOT]
        )
        for a in agents
    )


def history_block(history: list[dict], limit: int = 6) -> str:
    turns = history[-limit:]
    return "\n".join(f"{t.get('role', 'user')}: {t.get('content', '')}" for t in turns) or "(none)"


def system(prompt: str, task_instructions: str) -> dict:
    return {"role": "system", "content": f"{prompt}\n\n{task_instructions}"}


def routing_query(query: str, history: list[dict]) -> str:
    """Short follow-ups ("and last week?") are routed with the previous user turn for context."""
    if len(query.split()) >= 5:
        return query
    previous = [t["content"] for t in history if t.get("role") == "user" and t.get("content")]
    return f"{previous[-1]} {query}" if previous else query


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)[:20_000]
