"""The dispatch budget is enforced: no run sends the same query to the same agent more than
budget.max_dispatches times (retries and reflection included), nor more than
max_total_dispatches agent calls in all."""

import pytest

from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import events, make_agent, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
WEATHER = "Weather forecasts: temperature, rain and wind for a city."
REVENUE = "How much revenue did we make last quarter?"


def failing_sales(alice, **config):
    make_agent("sales", SALES, fn="failing")
    return wait_for(
        start(
            alice,
            coordinator_plan(agents=["sales"], failure_handling="retry_once", **config),
            query=REVENUE,
        )
    )


def test_by_default_a_retry_and_a_reflection_reach_the_limit_of_three(
    alice, engine_settings, agent_calls
):
    run = failing_sales(alice)

    assert run.status == "failed"
    assert [c["query"] for c in agent_calls()] == [REVENUE] * 3
    # the stage's retry happened; the reflection re-route's own retry was refused
    assert len(events(run, "agent.retrying")) == 1
    assert len(events(run, "agent.fallback")) == 1


def test_a_budget_of_two_leaves_room_for_the_retry_only(alice, engine_settings, agent_calls):
    run = failing_sales(alice, budget={"max_dispatches": 2})

    assert run.status == "failed"
    assert len(agent_calls()) == 2
    assert events(run, "agent.fallback") == []  # reflection wanted another go; the budget said no


def test_a_budget_of_one_means_no_retry_at_all(alice, engine_settings, agent_calls):
    run = failing_sales(alice, budget={"max_dispatches": 1})

    assert run.status == "failed"
    assert len(agent_calls()) == 1
    assert events(run, "agent.retrying") == []


def test_the_total_budget_caps_all_agent_calls_of_the_run(alice, engine_settings, agent_calls):
    make_agent("sales", SALES, fn="failing")
    make_agent("weather", WEATHER, fn="failing")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                failure_handling="retry_once",
                budget={"max_total_dispatches": 2},
            ),
            query="Show the revenue by region, and also the weather forecast for Paris tomorrow",
        )
    )

    assert run.status == "failed"
    assert sorted(c["query"] for c in agent_calls()) == [
        "Show the revenue by region",
        "the weather forecast for Paris tomorrow",
    ]
    assert events(run, "agent.retrying") == []


def test_plan_step_retries_asked_for_explicitly_are_all_made(alice, engine_settings, agent_calls):
    make_agent("failing", "Always fails.")
    run = wait_for(
        start(
            alice,
            {
                "name": "stubborn",
                "steps": [
                    {
                        "id": "call",
                        "type": "agent",
                        "agent": "failing",
                        "query": "again",
                        "retries": 8,
                    }
                ],
            },
        )
    )

    assert run.status == "failed"
    assert len(agent_calls()) == 9  # the first call and the 8 retries the step asked for
