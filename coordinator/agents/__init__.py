"""Sub-agent executors by kind (docs/architecture.md). `invoke` is the one entry point; `canvas`-kind
agents run as nested runs and are handled by the engine, not here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coordinator.llm import Usage


class AgentError(RuntimeError):
    """A sub-agent failed; the message is shown to users and to synthesis as the failure."""


class AgentTimeout(AgentError):
    pass


@dataclass
class AgentCall:
    slug: str
    kind: str
    config: dict
    payload: dict  # {"query", "history", "input", "context"}
    timeout: float
    on_delta: Callable[[str], None] | None = None
    on_item: Callable[[Any], None] | None = None
    owner: Any = None  # the agent's owner: whose grants pick its secrets and connection
    run_user: Any = None  # whom the run acts for (python agents are told, to scope reads)
    # Stable per (run, step, attempt): a re-executed call (a worker died after the agent ran
    # but before its result was saved) carries the same key, so the agent can deduplicate.
    idempotency_key: str = ""


@dataclass
class AgentResult:
    output: Any
    usage: Usage = field(default_factory=Usage)


def invoke(call: AgentCall) -> AgentResult:
    from coordinator.agents import http, llm, python

    runners = {"python": python.run, "http": http.run, "llm": llm.run}
    runner = runners.get(call.kind)
    if runner is None:
        raise AgentError(f"agent {call.slug}: kind {call.kind!r} cannot be invoked directly")
    return runner(call)
