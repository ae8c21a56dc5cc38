"""Sequential stages run one after another, each seeing the previous output; parallel stages
of independent aspects run at the same time."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
WEATHER = "Weather forecasts: temperature, rain and wind for a city."
TWO_ASPECTS = "Show the revenue by region, and also the weather forecast for Paris tomorrow"


def stages(run) -> list[StepRun]:
    return list(StepRun.objects.filter(run=run, parent="coord", superseded=False).order_by("id"))


def test_sequential_stages_chain_and_pass_the_earlier_output_on(
    alice, engine_settings, agent_calls
):
    make_agent("sales", SALES)
    make_agent(
        "translator", "Translates text between languages such as French and German.", fn="echo"
    )
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["sales", "translator"], coordination_strategy="sequential"),
            query="Get the revenue by region, then translate it into French",
        )
    )

    assert run.status == "succeeded", run.error
    assert run.complexity["level"] == "MEDIUM"
    first, second = stages(run)
    assert (first.agent, second.agent) == ("sales", "translator")
    assert second.depends_on == [first.step_id]
    assert second.started_at >= first.finished_at
    assert second.output["context"] == {first.step_id: first.output}
    assert [c["query"] for c in agent_calls()] == [
        "Get the revenue by region",
        "translate it into French",
    ]
    plan = step(run, "coord").output["plan"]
    assert plan["pattern"] == "sequential"
    assert [s["depends_on"] for s in plan["stages"]] == [[], [plan["stages"][0]["id"]]]


def test_parallel_stages_of_independent_aspects_overlap(alice, engine_settings):
    make_agent("sales", SALES, fn="slow")
    make_agent("weather", WEATHER, fn="slow")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                coordination_strategy="parallel",
                enable_reflection=False,
            ),
            query=TWO_ASPECTS,
        )
    )

    assert run.status == "succeeded", run.error
    first, second = stages(run)
    assert first.depends_on == [] and second.depends_on == []
    # each sleeps 0.5 s; both were claimed before either finished
    assert max(first.started_at, second.started_at) < min(first.finished_at, second.finished_at)


def test_without_parallel_execution_even_independent_stages_run_in_turn(alice, engine_settings):
    make_agent("sales", SALES, fn="slow")
    make_agent("weather", WEATHER, fn="slow")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                coordination_strategy="parallel",
                parallel_execution=False,
                enable_reflection=False,
            ),
            query=TWO_ASPECTS,
        )
    )

    assert run.status == "succeeded", run.error
    first, second = stages(run)
    assert second.depends_on == [first.step_id]
    assert second.started_at >= first.finished_at
