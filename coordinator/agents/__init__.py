"""Sub-agent executors by kind (docs/architecture.md). `invoke` is the one entry point; `canvas`-kind
agents run as nested runs and are handled by the engine, not here. The shared types live in
`base` and are re-exported here for callers."""

from __future__ import annotations

from coordinator.agents.base import AgentCall, AgentError, AgentResult, AgentTimeout

__all__ = ["AgentCall", "AgentError", "AgentResult", "AgentTimeout", "invoke"]


def invoke(call: AgentCall) -> AgentResult:
    # The kind modules reach the models (credentials); this package is imported before Django
    # is set up by the agent forkserver, which preloads coordinator.agents.agent_process.
    from coordinator.agents import http, llm, python

    runners = {"python": python.run, "http": http.run, "llm": llm.run}
    runner = runners.get(call.kind)
    if runner is None:
        raise AgentError(f"agent {call.slug}: kind {call.kind!r} cannot be invoked directly")
    return runner(call)
