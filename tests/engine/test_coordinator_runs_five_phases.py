import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan, register_team
from tests.engine_helpers import event_types, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_low_query_goes_to_the_one_relevant_agent(alice, engine_settings):
    register_team()
    run = wait_for(
        start(alice, coordinator_plan(), query="How much revenue did we make last quarter?")
    )
    assert run.status == "succeeded", run.error
    coord = step(run, "coord")
    assert coord.output["level"] == "LOW"
    assert run.complexity["level"] == "LOW"
    assert run.selection["agents"] == ["sales"]
    children = StepRun.objects.filter(run=run, parent="coord")
    assert [c.agent for c in children] == ["sales"]
    assert "Revenue grew 12%" in run.result["answer"]
    assert set(coord.output["phases"]) == {
        "complexity",
        "selection",
        "planning",
        "execution",
        "reflection",
        "synthesis",
    }


def test_phase_events_arrive_in_pipeline_order(alice, engine_settings):
    register_team()
    run = wait_for(start(alice, coordinator_plan(), query="What were our sales in Europe?"))
    phases = [(e.type, e.phase) for e in run.events.order_by("seq") if e.type.startswith("phase.")]
    assert phases == [
        ("phase.started", "complexity"),
        ("phase.completed", "complexity"),
        ("phase.started", "selection"),
        ("phase.completed", "selection"),
        ("phase.started", "planning"),
        ("phase.completed", "planning"),
        ("phase.started", "execution"),
        ("phase.completed", "execution"),
        ("phase.started", "reflection"),
        ("phase.completed", "reflection"),
        ("phase.started", "synthesis"),
        ("phase.completed", "synthesis"),
    ]
    assert event_types(run)[-1] == "run.succeeded"


def test_an_unrelated_query_is_answered_with_no_suitable_agent(alice, engine_settings, agent_calls):
    register_team()
    run = wait_for(start(alice, coordinator_plan(), query="Who painted the Mona Lisa?"))
    assert run.status == "succeeded"
    assert run.complexity["level"] == "NONE"
    assert "None of the available sub-agents" in run.result["answer"]
    assert agent_calls() == []


def test_a_high_query_runs_independent_agents_in_parallel(alice, engine_settings):
    register_team()
    run = wait_for(
        start(
            alice,
            coordinator_plan(),
            query="Show the revenue by region, and also the weather forecast for Paris tomorrow",
        )
    )
    assert run.status == "succeeded", run.error
    children = list(StepRun.objects.filter(run=run, parent="coord"))
    assert {c.agent for c in children} >= {"sales", "weather"}
    assert all(c.depends_on == [] for c in children)
    output = step(run, "coord").output
    # rows from both agents merged and de-duplicated ({"region": "eu"} equals {"region": "EU"})
    assert output["rows"] == [{"region": "EU", "revenue": 100}, {"region": "US", "revenue": 200}]
