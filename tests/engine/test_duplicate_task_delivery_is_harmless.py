"""A task delivered twice (or late, after its claim moved on) changes nothing the second time."""

import threading

import pytest

from coordinator import engine
from tests.engine_helpers import embedded_only, event_types, events, make_agent, rows, start, step

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

PLAN = {
    "name": "two",
    "steps": [
        {"id": "first", "type": "agent", "agent": "echo", "query": "one"},
        {"id": "second", "type": "agent", "agent": "echo", "depends_on": ["first"], "query": "two"},
    ],
}


def claimed_first(alice, manual_dispatch):
    make_agent("echo", "Echoes the query back.")
    run = start(alice, PLAN)
    manual_dispatch.drain(only=("advance",))  # claims `first`, queues its execute_step
    return run, manual_dispatch.take("execute_step")


def test_delivering_the_same_claim_twice_runs_the_agent_once(alice, manual_dispatch, agent_calls):
    run, (row_id, token) = claimed_first(alice, manual_dispatch)

    engine.execute_step(row_id, token)
    engine.execute_step(row_id, token)  # the broker delivers it again
    manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert [c["query"] for c in agent_calls()] == ["one", "two"]
    assert len(rows(run, step_id="first")) == 1
    assert [e.step for e in events(run, "step.succeeded")] == ["first", "second"]


def test_two_concurrent_deliveries_of_one_claim_run_the_agent_once(
    alice, manual_dispatch, agent_calls
):
    run, (row_id, token) = claimed_first(alice, manual_dispatch)
    barrier = threading.Barrier(2)
    errors = []

    def deliver():
        from django.db import close_old_connections

        try:
            barrier.wait()
            engine.execute_step(row_id, token)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    workers = [threading.Thread(target=deliver) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    assert errors == []
    manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert [c["query"] for c in agent_calls()] == ["one", "two"]
    assert event_types(run).count("step.succeeded") == 2
    assert event_types(run).count("agent.started") == 2


def test_a_stale_claim_token_has_no_effect(alice, manual_dispatch, agent_calls):
    run, (row_id, token) = claimed_first(alice, manual_dispatch)

    engine.execute_step(row_id, "00000000-0000-0000-0000-000000000000")

    assert agent_calls() == []
    assert step(run, "first").status == "running"
    engine.execute_step(row_id, token)
    manual_dispatch.drain()
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert [c["query"] for c in agent_calls()] == ["one", "two"]


def test_a_late_delivery_after_the_run_finished_changes_nothing(
    alice, manual_dispatch, agent_calls
):
    run, (row_id, token) = claimed_first(alice, manual_dispatch)
    engine.execute_step(row_id, token)
    manual_dispatch.drain()
    run.refresh_from_db()
    seen = event_types(run)

    engine.execute_step(row_id, token)
    engine.advance(run.pk)

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert event_types(run) == seen
    assert len(agent_calls()) == 2
