"""Limits are enforced, not advisory: a sub-agent slower than sub_agent_timeout fails with
'timed out', and a run past max_execution_time ends `timed_out` with what it has."""

import pytest

from coordinator import clock, engine
from coordinator.clock import ManualClock
from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import (
    embedded_only,
    event_types,
    events,
    make_agent,
    start,
    step,
    wait_for,
    wait_until,
)

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


@embedded_only  # the engine's clock is this process's: a worker process keeps its own
def test_a_coordinator_past_max_execution_time_times_out_with_what_it_has(
    alice, engine_settings, agent_calls, release
):
    make_agent("sales", SALES)
    make_agent("weather", WEATHER, fn="held")  # logs as "held"; fails once released
    plan = coordinator_plan(
        agents=["sales", "weather"],
        max_execution_time=60,
        sub_agent_timeout=60,
        failure_handling="retry_once",
        enable_reflection=False,
    )
    with clock.use(ManualClock()) as manual:
        run = start(alice, plan, query=TWO_ASPECTS)
        wait_until(
            lambda: (
                "held" in [c["agent"] for c in agent_calls()]
                and step(run, "coord.s1-sales").status == "succeeded"
            ),
            what="sales done and weather running",
        )

        manual.advance(61)  # past max_execution_time while the weather stage still runs
        engine.advance(run.pk)
        run.refresh_from_db()
        assert run.status == "timed_out"
        assert step(run, "coord.s2-weather").status == "running"

        release("fail")  # the weather stage fails, transiently: an ended run retries nothing
        wait_until(
            lambda: not StepRun.objects.filter(run=run, status="running").exists(),
            what="the stage to stop",
        )

    run.refresh_from_db()
    assert run.status == "timed_out"
    assert run.error == "max execution time of 60s exceeded"
    assert run.finished_at >= run.deadline
    assert run.result["partial"] is True
    assert (
        run.result["answer"] == "**sales**: Revenue grew 12% in Q3 to 4.2 million dollars in sales."
    )
    types = event_types(run)
    # after the end, only the stage that was running reports how it ended
    assert types[types.index("run.timed_out") + 1 :] == ["agent.failed", "step.failed"]
    assert step(run, "coord").status == "cancelled"
    assert step(run, "coord.s2-weather").status == "failed"
    assert [r.attempt for r in StepRun.objects.filter(run=run, step_id="coord.s2-weather")] == [1]
    assert list(StepRun.objects.filter(run=run, status__in=["pending", "running", "waiting"])) == []
