"""Pipeline pattern: every item the producer yields becomes a step of the next stage at once,
so downstream work starts while the producer is still producing."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

QUERY = "Generate numbers, then double each number"


def team(producer: str = "ticker"):
    # ticker yields ten items 0.05 s apart; double doubles the item it is handed
    make_agent(
        "numbers",
        "Generates a list of numbers: counts items and produces numbered records.",
        fn=producer,
    )
    make_agent("double", "Doubles each number: multiplies values by two.")


def test_items_flow_downstream_while_the_producer_still_runs(alice, engine_settings, agent_calls):
    team(producer="gated_ticker")  # holds its other items until the first one is done
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["numbers", "double"], coordination_strategy="pipeline"),
            query=QUERY,
        )
    )

    assert run.status == "succeeded", run.error
    producer = StepRun.objects.get(run=run, step_id="coord.s1-numbers")
    items = list(
        StepRun.objects.filter(run=run, step_id__startswith="coord.s1-numbers>").order_by("id")
    )
    assert [i.step_id for i in items] == [f"coord.s1-numbers>s2-double#{n}" for n in range(1, 11)]
    assert [i.input for i in items] == [{"n": n, "text": f"tick {n}"} for n in range(10)]
    assert [i.output["n"] for i in items] == [2 * n for n in range(10)]
    assert all(
        i.status == "succeeded" and i.agent == "double" and i.parent == "coord" for i in items
    )
    # the producer finished only after the first item's step had succeeded downstream
    assert items[0].started_at < producer.finished_at
    assert items[0].finished_at < producer.finished_at
    assert [c["agent"] for c in agent_calls()] == ["ticker"]  # produced once, not per item


def test_the_pipeline_result_merges_what_the_last_stage_produced(alice, engine_settings):
    team()
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["numbers", "double"],
                coordination_strategy="pipeline",
                enable_reflection=False,
            ),
            query=QUERY,
        )
    )

    assert run.status == "succeeded", run.error
    rows = run.result["output"]["rows"]
    assert {"n": 18} in rows and {"n": 0} in rows
    assert run.result["output"]["plan"]["pattern"] == "pipeline"
    assert run.result["failed_agents"] == []


def test_a_one_agent_pipeline_is_just_that_agent(alice, engine_settings, agent_calls):
    team()
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["numbers", "double"],
                coordination_strategy="pipeline",
                enable_reflection=False,
            ),
            query="Generate numbers",
        )
    )

    assert run.status == "succeeded", run.error
    assert [s.step_id for s in StepRun.objects.filter(run=run, parent="coord")] == [
        "coord.s1-numbers"
    ]
