"""fail_fast stops work that is already running, not only work not yet started: when a branch
of a parallel step (or a stage of a coordinator) fails, a sibling that is executing is
cancelled at once, its claim withdrawn so its late result is discarded, and the run fails
without waiting for it."""

import pytest

from coordinator import engine
from coordinator.engine.core.outcomes import Succeeded
from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import (
    event_types,
    events,
    make_agent,
    start,
    step,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_branch_cancels_the_branch_that_is_running(
    alice, engine_settings, release, agent_calls
):
    make_agent("slow", "Holds until the test releases it.", fn="held")
    make_agent("breaker", "Fails while a sibling runs.", fn="fail_once_nap_runs")
    plan = {
        "name": "fan-out",
        "steps": [
            {
                "id": "fan",
                "type": "parallel",
                "on_failure": "fail_fast",
                "branches": [
                    {"id": "nap0", "type": "agent", "agent": "slow"},
                    {"id": "broken", "type": "agent", "agent": "breaker"},
                ],
            }
        ],
    }
    run = wait_for(start(alice, plan))

    assert run.status == "failed"
    napping = step(run, "nap0")
    assert napping.status == "cancelled"
    assert napping.error == "cancelled after broken failed (fail_fast)"
    assert step(run, "fan").status == "failed"
    (cancelled,) = events(run, "step.cancelled")
    assert cancelled.step == "nap0"
    assert event_types(run).index("step.cancelled") < event_types(run).index("run.failed")

    # The held branch is still executing; when it returns, its result is discarded.
    release()
    wait_until(lambda: "held" in {c["agent"] for c in agent_calls()}, what="the held call")
    stale = StepRun.objects.get(pk=napping.pk)
    assert engine.record(stale, stale.claim_token, Succeeded(output={"text": "late"})) is False
    assert (step(run, "nap0").status, step(run, "nap0").output) == ("cancelled", None)


@pytest.mark.parametrize("policy, cancelled", [("fail_fast", True), ("continue_partial", False)])
def test_a_failing_parallel_stage_cancels_a_running_stage_only_under_fail_fast(
    alice, engine_settings, policy, cancelled
):
    make_agent("sales", "Sales revenue figures per region.", fn="fail_once_nap_runs")
    make_agent("weather", "Weather forecasts for a city.", fn="nap")
    plan = coordinator_plan(
        agents=["sales", "weather"],
        coordination_strategy="parallel",
        failure_handling=policy,
        enable_reflection=False,
    )
    run = wait_for(
        start(alice, plan, query="Revenue by region, and also the weather forecast for Paris"),
        timeout=60,
    )

    stages = {r.agent: r for r in StepRun.objects.filter(run=run, parent="coord", superseded=False)}
    assert stages["sales"].status == "failed"
    assert (stages["weather"].status == "cancelled") is cancelled
    assert run.status == ("failed" if cancelled else "succeeded")
