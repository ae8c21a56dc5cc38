from datetime import timedelta

import pytest

from coordinator import clock, engine
from coordinator.clock import ManualClock
from coordinator.limits import _cache
from coordinator.models import StepRun
from tests.engine_helpers import make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_limits():
    _cache["at"] = 0.0


def test_an_agent_never_runs_more_calls_at_once_than_its_max_concurrency(alice, engine_settings):
    make_agent("slow", "Sleeps.", max_concurrency=2)
    plan = {
        "name": "fan",
        "steps": [
            {"id": f"s{i}", "type": "agent", "agent": "slow", "input": {"seconds": 0.3}}
            for i in range(3)
        ],
    }
    runs = [start(alice, plan) for _ in range(2)]
    runs = [wait_for(run) for run in runs]
    assert all(run.status == "succeeded" for run in runs)
    spans = [(s.started_at, s.finished_at) for s in StepRun.objects.filter(agent="slow")]
    assert len(spans) == 6
    for start_at, _ in spans:  # at every start, at most 2 calls are in flight (itself included)
        overlapping = sum(1 for a, b in spans if a <= start_at < b)
        assert overlapping <= 2


def test_stages_past_the_cost_budget_are_skipped_with_the_reason(alice, engine_settings):
    make_agent("sales", "Sales analytics: revenue and income per region.")
    make_agent("weather", "Weather forecasts: temperature and rain for a city.")
    # A budget of zero dollars is spent before anything runs.
    plan = {
        "name": "broke",
        "steps": [
            {
                "id": "coord",
                "type": "coordinator",
                "agents": ["sales", "weather"],
                "config": {"budget": {"max_cost_usd": 0}, "failure_handling": "continue_partial"},
            }
        ],
    }
    run = wait_for(start(alice, plan, query="What was our revenue last quarter?"))
    stage = StepRun.objects.get(run=run, parent="coord")
    assert stage.status == "skipped"
    assert stage.error.startswith("cost budget of $0 exhausted")


def test_time_spent_paused_does_not_count_against_the_deadline(alice, engine_settings):
    run = start(alice, {"name": "w", "steps": [{"id": "w", "type": "wait", "event": "go"}]})
    run = wait_for(run, statuses=("waiting",))
    deadline = run.deadline
    with clock.use(ManualClock(start=clock.now())) as manual:
        engine.pause(run)
        manual.advance(300)
        engine.resume(run)
    run.refresh_from_db()
    assert run.deadline - deadline == timedelta(seconds=300)


def test_a_run_waiting_for_an_event_shows_waiting_until_it_arrives(alice, engine_settings):
    run = wait_for(
        start(alice, {"name": "w", "steps": [{"id": "w", "type": "wait", "event": "go"}]}),
        statuses=("waiting",),
    )
    assert engine.signal(run, "go", {"by": "test"}) == 1
    run = wait_for(run)
    assert run.status == "succeeded"
    assert step(run, "w").output == {"event": "go", "payload": {"by": "test"}}
