"""Limits are enforced, not advisory: a sub-agent slower than sub_agent_timeout fails with
'timed out', and a run past max_execution_time ends `timed_out` with what it has."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import event_types, events, make_agent, start, step, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
WEATHER = "Weather forecasts: temperature, rain and wind for a city."
TWO_ASPECTS = "Show the revenue by region, and also the weather forecast for Paris tomorrow"


def test_a_sub_agent_slower_than_its_timeout_fails_with_timed_out(alice, engine_settings):
    make_agent("sales", SALES, fn="nap")  # sleeps 0.5 s
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["sales"], sub_agent_timeout=0.2, failure_handling="fail_fast"),
            query="How much revenue did we make last quarter?",
        )
    )

    assert run.status == "failed"
    stage = step(run, "coord.s1-sales")
    assert stage.status == "failed"
    assert stage.error == "agent sales timed out: timed out after 0.2s"
    assert "timed out" in run.error
    assert (
        events(run, "agent.failed")[0].data["error"]
        == "agent sales timed out: timed out after 0.2s"
    )


def test_a_plan_step_timeout_applies_to_its_agent(alice, engine_settings, agent_calls):
    make_agent("nap", "Sleeps.")
    run = wait_for(
        start(
            alice,
            {
                "name": "slow",
                "steps": [
                    {
                        "id": "nap",
                        "type": "agent",
                        "agent": "nap",
                        "timeout_seconds": 0.2,
                        "input": {"seconds": 0.6},
                    }
                ],
            },
        )
    )

    assert run.status == "failed"
    assert step(run, "nap").error == "agent nap timed out: timed out after 0.2s"
    assert [c["agent"] for c in agent_calls()] == ["nap"]  # called once: a timeout is final here


def test_a_coordinator_past_max_execution_time_times_out_with_what_it_has(alice, engine_settings):
    make_agent("sales", SALES)
    make_agent("weather", WEATHER, fn="nap")  # sleeps 0.5 s: past the deadline
    plan = coordinator_plan(
        agents=["sales", "weather"],
        max_execution_time=0.5,
        sub_agent_timeout=0.5,
        enable_reflection=False,
    )
    # the coordinator starts 0.3 s into the run, so the slow stage is still running at 0.5 s
    plan["steps"].insert(0, {"id": "warm-up", "type": "wait", "duration_seconds": 0.3})
    plan["steps"][1]["depends_on"] = ["warm-up"]
    run = wait_for(start(alice, plan, query=TWO_ASPECTS))

    assert run.status == "timed_out"
    assert run.error == "max execution time of 0.5s exceeded"
    assert run.finished_at >= run.deadline
    assert run.result["partial"] is True
    assert (
        run.result["answer"] == "**sales**: Revenue grew 12% in Q3 to 4.2 million dollars in sales."
    )
    assert event_types(run)[-1] == "run.timed_out"
    assert step(run, "coord").status == "cancelled"
    # the slow stage gives up at its own timeout; a finished run schedules no retry for it
    wait_until(
        lambda: not StepRun.objects.filter(run=run, status="running").exists(),
        what="the stage to stop",
    )
    assert list(StepRun.objects.filter(run=run, status__in=["pending", "running", "waiting"])) == []
    run.refresh_from_db()
    assert run.status == "timed_out"
