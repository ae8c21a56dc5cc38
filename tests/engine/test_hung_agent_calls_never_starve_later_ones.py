"""A python agent that hangs past its timeout fails its step and its process is killed, so
however many calls hang, nothing stays taken: later calls start at once and runs succeed."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from coordinator.agents import AgentCall, AgentTimeout, invoke
from tests.engine_helpers import embedded_only, make_agent, start, step, wait_for
from tests.processes import is_running

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


def call(callable_name: str, timeout: float) -> AgentCall:
    return AgentCall(
        slug="x",
        kind="python",
        config={"callable": f"tests.engine_agents.{callable_name}"},
        payload={"query": "q", "history": [], "input": {}, "context": {}},
        timeout=timeout,
    )


def hang_once(_):
    try:
        invoke(call("hang", 0.2))
    except AgentTimeout:
        return "timed out"
    return "answered"


def test_two_hundred_hung_calls_leave_later_runs_unharmed(alice, engine_settings, agent_calls):
    with ThreadPoolExecutor(max_workers=50) as callers:
        outcomes = list(callers.map(hang_once, range(200)))
    assert outcomes == ["timed out"] * 200
    hung = [c["pid"] for c in agent_calls() if c["agent"] == "hang"]
    assert len(set(hung)) == len(hung)  # a process that timed out is never used again
    assert [pid for pid in hung if is_running(pid)] == []  # ...because it is gone

    assert invoke(call("echo", 10)).output["text"] == "echo: q"
    make_agent("echo", "Echoes.")
    plan = {
        "name": "after",
        "steps": [
            {"id": f"s{i}", "type": "agent", "agent": "echo", "query": f"q{i}"} for i in range(10)
        ],
    }
    run = wait_for(start(alice, plan, query="q"), timeout=60)
    assert run.status == "succeeded"
    assert step(run, "s9").output["text"] == "echo: q9"
    echoed = sorted(c["query"] for c in agent_calls() if c["agent"] == "echo")
    assert echoed == sorted(["q", *(f"q{i}" for i in range(10))])  # each executed once


def test_a_hung_step_fails_with_its_timeout(alice, engine_settings):
    make_agent("hang", "Never answers.")
    plan = {
        "name": "hung",
        "steps": [{"id": "stuck", "type": "agent", "agent": "hang", "timeout_seconds": 0.3}],
    }
    run = wait_for(start(alice, plan, query="q"))

    assert run.status == "failed"
    assert "timed out after 0.3s" in step(run, "stuck").error
