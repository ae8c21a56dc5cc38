"""Conditional pattern: each later stage is an alternative that runs only if no earlier stage
succeeded with an output."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
WEATHER = "Weather forecasts: temperature, rain and wind for a city."
TWO_ASPECTS = "Show the revenue by region, and also the weather forecast for Paris tomorrow"


def run_conditional(alice, **config):
    return wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                coordination_strategy="conditional",
                enable_reflection=False,
                **config,
            ),
            query=TWO_ASPECTS,
        )
    )


def stage_states(run) -> list[tuple[str, str]]:
    return [
        (s.agent, s.status)
        for s in StepRun.objects.filter(run=run, parent="coord", superseded=False)
    ]


def test_the_next_stage_is_skipped_when_the_first_answered(alice, engine_settings, agent_calls):
    make_agent("sales", SALES)
    make_agent("weather", WEATHER)
    run = run_conditional(alice)

    assert run.status == "succeeded", run.error
    assert stage_states(run) == [("sales", "succeeded"), ("weather", "skipped")]
    assert StepRun.objects.get(run=run, agent="weather").error.startswith("condition false:")
    assert [c["agent"] for c in agent_calls()] == ["sales"]
    assert run.result["answer"] == "Revenue grew 12% in Q3 to 4.2 million dollars in sales."


def test_the_next_stage_runs_when_the_first_failed_and_the_run_still_succeeds(
    alice, engine_settings, agent_calls
):
    make_agent("sales", SALES, fn="failing")
    make_agent("weather", WEATHER)
    run = run_conditional(alice, failure_handling="fail_fast")

    assert run.status == "succeeded", run.error
    assert stage_states(run) == [("sales", "failed"), ("weather", "succeeded")]
    assert [c["agent"] for c in agent_calls()] == ["failing", "weather"]
    answer = run.result["answer"]
    assert "\n\nThe forecast for tomorrow is sunny" in answer
    assert "No agent could answer this: sales failed (agent sales failed:" in answer
    assert run.result["failed_agents"] == ["sales"]


def test_the_next_stage_runs_when_the_first_succeeded_with_nothing(
    alice, engine_settings, agent_calls
):
    make_agent("sales", SALES, fn="empty")
    make_agent("weather", WEATHER)
    run = run_conditional(alice)

    assert run.status == "succeeded", run.error
    assert stage_states(run) == [("sales", "succeeded"), ("weather", "succeeded")]
    assert [c["agent"] for c in agent_calls()] == ["empty", "weather"]


def test_when_every_alternative_fails_the_coordinator_fails(alice, engine_settings):
    make_agent("sales", SALES, fn="failing")
    make_agent("weather", WEATHER, fn="failing")
    run = run_conditional(alice, failure_handling="fail_fast")

    assert run.status == "failed"
    assert stage_states(run) == [("sales", "failed"), ("weather", "failed")]
    assert "sub-agent failed: sales" in run.error and "weather" in run.error
