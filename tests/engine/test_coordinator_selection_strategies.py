"""Selection strategies among equally capable agents: capability_based takes the best score,
load_balanced the one with fewest steps in flight right now, priority_based the highest priority."""

import pytest

from canvas.models import Agent
from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, step, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
QUERY = "How much revenue did we make last quarter?"


def twins(**beta):
    """alpha and beta describe themselves identically; alpha sorts first."""
    make_agent("alpha", SALES, fn="slow")
    make_agent("beta", SALES, fn="sales", **beta)


def chosen(run) -> list[str]:
    return [c.agent for c in StepRun.objects.filter(run=run, parent="coord")]


def test_capability_based_takes_the_best_scoring_agent(alice, engine_settings):
    twins()
    make_agent("weather", "Weather forecasts: temperature, rain and wind for a city.")
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["alpha", "beta", "weather"], enable_reflection=False),
            query=QUERY,
        )
    )

    assert run.status == "succeeded", run.error
    assert run.selection["agents"] == ["alpha"]  # a tie on score goes to the first slug
    assert chosen(run) == ["alpha"]
    assert "by capability_based" in " ".join(run.selection["reasons"])


def test_load_balanced_avoids_the_agent_that_is_busy_in_another_run(
    alice, engine_settings, agent_calls, release
):
    twins()
    # alpha holds until released: it stays busy however long the other run takes to select
    Agent.objects.filter(slug="alpha").update(kind_config={"callable": "tests.engine_agents.held"})
    busy = start(
        alice, {"name": "busy", "steps": [{"id": "long", "type": "agent", "agent": "alpha"}]}
    )
    wait_until(lambda: step(busy, "long").status == "running", what="alpha to be busy")

    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["alpha", "beta"], selection_strategy="load_balanced"),
            query=QUERY,
        )
    )

    assert run.status == "succeeded", run.error
    assert run.selection["agents"] == ["beta"]
    assert chosen(run) == ["beta"]
    assert "beta (0.71, 0 in flight) by load_balanced" in " ".join(run.selection["reasons"])
    release()
    assert wait_for(busy).status == "succeeded"


def test_load_balanced_picks_by_score_when_nobody_is_busy(alice, engine_settings):
    twins()
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["alpha", "beta"],
                selection_strategy="load_balanced",
                enable_reflection=False,
            ),
            query=QUERY,
        )
    )
    assert run.selection["agents"] == ["alpha"]
    assert chosen(run) == ["alpha"]


def test_priority_based_takes_the_highest_priority_capable_agent(alice, engine_settings):
    twins(priority=5)
    make_agent("weather", "Weather forecasts: temperature, rain and wind for a city.", priority=99)
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["alpha", "beta", "weather"], selection_strategy="priority_based"
            ),
            query=QUERY,
        )
    )

    assert run.status == "succeeded", run.error
    assert run.selection["agents"] == ["beta"]  # weather has priority 99 but cannot answer
    assert "beta (0.71, priority 5) by priority_based" in " ".join(run.selection["reasons"])
    assert "Revenue grew 12%" in run.result["answer"]
