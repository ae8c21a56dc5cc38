"""Sub-agent executors by kind (docs/architecture.md). `invoke` is the one entry point; `canvas`-kind
agents run as nested runs and are handled by the engine, not here. The shared types live in
`base` and are re-exported here for callers."""

from __future__ import annotations

from coordinator.agents import http, llm, python
from coordinator.agents.base import AgentCall, AgentError, AgentResult, AgentTimeout

__all__ = ["AgentCall", "AgentError", "AgentResult", "AgentTimeout", "invoke"]


def invoke(call: AgentCall) -> AgentResult:
    runners = {"python": python.run, "http": http.run, "llm": llm.run}
    runner = runners.get(call.kind)
    if runner is None:
        raise AgentError(f"agent {call.slug}: kind {call.kind!r} cannot be invoked directly")
    return runner(call)
