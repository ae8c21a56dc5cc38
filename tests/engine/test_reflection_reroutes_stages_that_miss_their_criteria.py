"""With reflection on, a stage whose output does not meet its success criteria is re-routed
(once) to the next capable agent, and the re-routed answer replaces the original."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import events, make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
QUERY = "How much revenue did we make last quarter?"


def reflection_decision(run) -> dict:
    return step(run, "coord").output["phases"]["reflection"]["decision"]


def test_an_off_topic_answer_is_rerouted_to_the_next_capable_agent(
    alice, engine_settings, agent_calls
):
    make_agent("revenue-bot", SALES, fn="offtopic")  # ranks first, answers about turtles
    make_agent("sales", SALES)
    run = wait_for(start(alice, coordinator_plan(agents=["revenue-bot", "sales"]), query=QUERY))

    assert run.status == "succeeded", run.error
    decision = reflection_decision(run)
    assert decision["satisfied"] is False
    assert decision["retry_agents"] == ["revenue-bot"]
    rerouted = step(run, "coord.s1-revenue-bot~r1")
    assert rerouted.agent == "sales" and rerouted.status == "succeeded"
    fallback = events(run, "agent.fallback")
    assert [(e.agent, e.data["from"], e.data["reason"]) for e in fallback] == [
        ("sales", "revenue-bot", "reflection: criteria not met")
    ]
    assert [c["agent"] for c in agent_calls()] == ["offtopic", "sales"]
    # the answer is the re-routed stage's, not the turtles
    assert run.result["answer"] == "Revenue grew 12% in Q3 to 4.2 million dollars in sales."
    assert "Turtles" not in run.result["answer"]


def test_without_reflection_the_off_topic_answer_stands(alice, engine_settings, agent_calls):
    make_agent("revenue-bot", SALES, fn="offtopic")
    make_agent("sales", SALES)
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["revenue-bot", "sales"], enable_reflection=False),
            query=QUERY,
        )
    )

    assert run.status == "succeeded"
    assert "reflection" not in step(run, "coord").output["phases"]
    assert run.result["answer"].startswith("Turtles")
    assert [c["agent"] for c in agent_calls()] == ["offtopic"]


def test_reflection_reroutes_at_most_once(alice, engine_settings, agent_calls):
    make_agent("revenue-bot", SALES, fn="offtopic")
    make_agent("sales-bot", SALES, fn="empty")  # the next best is no better
    make_agent("sales", SALES)  # capable but not reached: one round only
    run = wait_for(
        start(alice, coordinator_plan(agents=["revenue-bot", "sales-bot", "sales"]), query=QUERY)
    )

    assert run.status == "succeeded", run.error
    phases = [e.phase for e in events(run, "phase.completed")]
    assert phases.count("reflection") == 1
    assert len(events(run, "agent.fallback")) == 1
    assert len(agent_calls()) == 2


def test_a_pipeline_item_is_never_rerouted_on_its_own(alice, engine_settings):
    """Re-running one item's stage without its item would answer nothing; items stay as they are."""
    make_agent(
        "numbers", "Generates a list of numbers: counts items and produces numbered records."
    )
    make_agent("double", "Doubles each number: multiplies values by two.")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["numbers", "double"],
                coordination_strategy="pipeline",
                budget={"max_dispatches": 20},
            ),
            query="Generate numbers, then double each number",
        )
    )

    assert run.status == "succeeded", run.error
    assert reflection_decision(run)["satisfied"] is False  # bare numbers do not "address" the query
    assert events(run, "agent.fallback") == []
    assert not StepRun.objects.filter(run=run, step_id__contains="~r").exists()
    items = StepRun.objects.filter(run=run, step_id__contains=">")
    assert sorted(i.output["n"] for i in items) == [0, 2, 4]
