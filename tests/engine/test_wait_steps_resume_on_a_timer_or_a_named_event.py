"""A wait step holds its dependants for a duration, or until engine.signal delivers its event."""

from datetime import timedelta

import pytest

from coordinator import clock, engine
from coordinator.clock import ManualClock
from tests.engine_helpers import events, make_agent, start, step, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_timed_wait_holds_its_dependants_for_the_duration(alice, engine_settings):
    make_agent("echo", "Echoes the query back.")
    run = start(
        alice,
        {
            "name": "pause",
            "steps": [
                {"id": "nap", "type": "wait", "duration_seconds": 600},
                {
                    "id": "after",
                    "type": "agent",
                    "agent": "echo",
                    "depends_on": ["nap"],
                    "query": "woke",
                },
            ],
        },
    )
    run = wait_for(run, statuses=("waiting",))
    with clock.use(ManualClock(start=clock.now())) as manual:
        manual.advance(599)
        engine.advance(run.pk)  # not yet
        assert step(run, "nap").status == "waiting"
        assert step(run, "after").status == "pending"

        manual.advance(2)
        engine.advance(run.pk)  # what the timer (or the sweeper) does once the time is up
        run = wait_for(run)

    assert run.status == "succeeded", run.error
    nap, after = step(run, "nap"), step(run, "after")
    assert nap.output == {"waited": True}
    assert nap.finished_at - nap.started_at >= timedelta(seconds=600)
    # "after" may run in a Celery worker, whose clock is the real one, so its start is
    # ordered against the wait's end by the run's event sequence, not by timestamps.
    assert seq_of(run, "step.succeeded", "nap") < seq_of(run, "step.started", "after")
    assert after.output["text"] == "echo: woke"


def seq_of(run, type_: str, step_id: str) -> int:
    return next(e.seq for e in events(run, type_) if e.step == step_id)


def event_plan() -> dict:
    return {
        "name": "gate",
        "steps": [
            {"id": "gate", "type": "wait", "event": "books-closed"},
            {
                "id": "report",
                "type": "agent",
                "agent": "echo",
                "depends_on": ["gate"],
                "query": "close {{ steps.gate.output.payload.month }}",
            },
        ],
    }


def test_an_event_wait_resumes_when_its_event_is_signalled(alice, engine_settings, agent_calls):
    make_agent("echo", "Echoes the query back.")
    run = start(alice, event_plan())
    wait_until(lambda: step(run, "gate").status == "waiting", what="the wait step to wait")
    assert step(run, "gate").output == {"waiting_for": "books-closed"}

    assert engine.signal(run, "quarter-closed", {"month": "March"}) == 0  # another event
    assert step(run, "gate").status == "waiting"
    assert engine.signal(run, "books-closed", {"month": "March"}) == 1

    run = wait_for(run)
    assert run.status == "succeeded", run.error
    assert step(run, "gate").output == {"event": "books-closed", "payload": {"month": "March"}}
    assert [c["query"] for c in agent_calls()] == ["close March"]
    assert engine.signal(run, "books-closed") == 0  # nothing waits any more


def test_a_run_waiting_for_an_event_does_nothing_until_it_arrives(
    alice, engine_settings, agent_calls
):
    make_agent("echo", "Echoes the query back.")
    run = start(alice, event_plan())
    wait_until(lambda: step(run, "gate").status == "waiting", what="the wait step to wait")

    engine.sweep()  # a sweep does not resume an event wait
    run.refresh_from_db()
    assert run.status in ("running", "waiting")
    assert step(run, "report").status == "pending"
    assert agent_calls() == []
    engine.cancel(run)
