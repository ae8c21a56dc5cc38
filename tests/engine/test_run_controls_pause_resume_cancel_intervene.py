"""Pause holds a run between steps, resume carries on, cancel ends it for good, and an
intervention reaches every later sub-agent call."""

import pytest

from coordinator import engine
from coordinator.models import Approval
from tests.engine_helpers import (
    embedded_only,
    event_types,
    events,
    make_agent,
    rows,
    start,
    step,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def two_step_plan() -> dict:
    """`first` holds until the test releases it, so a control sent meanwhile always lands
    while it is executing (no race with the clock)."""
    return {
        "name": "two",
        "steps": [
            {"id": "first", "type": "agent", "agent": "held"},
            {
                "id": "second",
                "type": "agent",
                "agent": "echo",
                "depends_on": ["first"],
                "query": "second",
            },
        ],
    }


def agents():
    make_agent("held", "Holds until released.")
    make_agent("echo", "Echoes the query back.")


def executing(agent_calls, agent: str = "held"):
    """Returns once `agent` has been called: its step is executing now."""
    wait_until(lambda: agent in [c["agent"] for c in agent_calls()], what=f"{agent} to be called")


def test_a_paused_run_finishes_the_running_step_then_holds_until_resumed(
    alice, engine_settings, agent_calls, release
):
    agents()
    run = start(alice, two_step_plan())
    executing(agent_calls)

    engine.pause(run, alice)
    release()
    wait_until(lambda: step(run, "first").status == "succeeded", what="the running step to finish")
    engine.advance(run.pk)  # nothing moves while paused, however often it is nudged
    run.refresh_from_db()
    assert run.status == "paused"
    assert step(run, "second").status == "pending"
    assert [c["agent"] for c in agent_calls()] == ["held"]

    engine.resume(run, alice)
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert [c["agent"] for c in agent_calls()] == ["held", "echo"]
    types = event_types(run)
    assert types.index("run.paused") < types.index("run.resumed") < types.index("run.succeeded")
    assert events(run, "run.paused")[0].data == {"by": "alice"}


@embedded_only
def test_a_step_claimed_but_not_started_before_the_pause_waits_and_runs_once(
    alice, manual_dispatch, agent_calls, release
):
    agents()
    run = start(alice, two_step_plan())
    manual_dispatch.drain(only=("advance",))
    claim = manual_dispatch.take("execute_step")

    engine.pause(run, alice)
    engine.execute_step(*claim)  # delivered while paused: handed back, not run

    assert step(run, "first").status == "pending"
    assert agent_calls() == []
    engine.resume(run, alice)
    release()
    manual_dispatch.drain()
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert [c["agent"] for c in agent_calls()] == ["held", "echo"]


def test_controls_that_do_not_apply_are_refused(alice, engine_settings):
    agents()
    run = wait_for(
        start(alice, {"name": "one", "steps": [{"id": "e", "type": "agent", "agent": "echo"}]})
    )

    for control in (engine.pause, engine.resume, engine.cancel):
        with pytest.raises(engine.ControlError, match="a succeeded run cannot be"):
            control(run, alice)
    with pytest.raises(engine.ControlError, match="take interventions"):
        engine.intervene(run, "too late", alice)


def test_resuming_a_running_run_is_refused(alice, engine_settings, release):
    agents()
    run = start(alice, two_step_plan())
    wait_until(lambda: step(run, "first").status == "running", what="the first step to be claimed")
    run.refresh_from_db()
    with pytest.raises(engine.ControlError, match="a running run cannot be resumed"):
        engine.resume(run, alice)
    release()
    wait_for(run)


def test_a_cancelled_run_stops_and_its_running_step_is_not_retried(
    alice, engine_settings, agent_calls, release
):
    agents()
    plan = two_step_plan()
    plan["steps"][0]["retries"] = 3
    run = start(alice, plan)
    executing(agent_calls)

    engine.cancel(run, alice)
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert run.error == "cancelled by alice"
    assert step(run, "second").status == "cancelled"
    assert step(run, "first").status == "running"

    release("fail")  # a transient failure, recorded after the cancel
    wait_until(lambda: step(run, "first").status != "running", what="the running step to end")
    assert step(run, "first").status == "failed"
    assert step(run, "first").error == (
        "agent held failed: RuntimeError: transient failure after release"
    )
    assert [r.attempt for r in rows(run, step_id="first")] == [1]  # no retry of a cancelled run
    engine.advance(run.pk)
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert event_types(run).count("run.cancelled") == 1
    assert [c["agent"] for c in agent_calls()] == ["held"]


def test_cancelling_a_run_waiting_for_approval_withdraws_the_approval(alice, bob, engine_settings):
    run = start(
        alice,
        {"name": "gate", "steps": [{"id": "ok", "type": "human_approval", "assignee": "bob"}]},
    )
    run = wait_for(run, statuses=("waiting",))

    engine.cancel(run, alice)

    assert Approval.objects.get(run=run).status == "cancelled"
    assert step(run, "ok").status == "cancelled"


def test_an_intervention_reaches_the_sub_agents_that_run_after_it(alice, engine_settings):
    make_agent("echo", "Echoes the query back.")
    run = start(
        alice,
        {
            "name": "steered",
            "steps": [
                {"id": "before", "type": "agent", "agent": "echo", "query": "before"},
                {"id": "gate", "type": "wait", "event": "go", "depends_on": ["before"]},
                {
                    "id": "after",
                    "type": "agent",
                    "agent": "echo",
                    "query": "after",
                    "depends_on": ["gate"],
                },
            ],
        },
        history=[{"role": "user", "content": "earlier question"}],
    )
    wait_until(lambda: step(run, "gate").status == "waiting", what="the gate")

    engine.intervene(run, "Only count European regions.", alice)
    engine.signal(run, "go")
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert step(run, "before").output["history"] == [
        {"role": "user", "content": "earlier question"}
    ]
    assert step(run, "after").output["history"] == [
        {"role": "user", "content": "earlier question"},
        {"role": "user", "content": "[Intervention from alice] Only count European regions."},
    ]
    intervention = events(run, "intervention")[0]
    assert (
        intervention.data["text"] == "Only count European regions."
        and intervention.data["by"] == "alice"
    )
