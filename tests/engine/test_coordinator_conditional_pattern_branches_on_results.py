"""The conditional pattern branches on results (Coordinator reference: "IF error THEN retry
ELSE continue"): a later stage with a condition over earlier stages' results runs only when
the results meet it — planned by a model, or by baton/local from an if-clause in the query."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
WEATHER = "Weather forecasts: temperature, rain and wind for a city."


def stages(run) -> dict[str, tuple[str, str]]:
    return {
        r.agent: (r.status, r.error)
        for r in StepRun.objects.filter(run=run, parent="coord", superseded=False)
    }


def conditional(alice, query, **config):
    return wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                coordination_strategy="conditional",
                enable_reflection=False,
                **config,
            ),
            query=query,
        )
    )


@pytest.mark.parametrize("verb, runs", [("grew", True), ("fell", False)])
def test_baton_local_runs_the_if_branch_only_when_the_first_result_says_so(
    alice, engine_settings, agent_calls, verb, runs
):
    make_agent("sales", SALES)  # answers "Revenue grew 12% in Q3 …"
    make_agent("weather", WEATHER)
    run = conditional(
        alice, f"Show the revenue by region; if revenue {verb}, get the weather forecast for Paris"
    )

    assert run.status == "succeeded", run.error
    found = stages(run)
    assert found["sales"][0] == "succeeded"
    assert found["weather"][0] == ("succeeded" if runs else "skipped")
    if not runs:
        assert f"'{verb}' in" in found["weather"][1]  # skipped: "condition false: …"
    assert [c["agent"] for c in agent_calls()] == (["sales", "weather"] if runs else ["sales"])
    plan = run.steps.get(step_id="coord").output["plan"]
    assert plan["stages"][1]["condition"] == (
        f"'{verb}' in (stages['{plan['stages'][0]['id']}'].output | string | lower)"
    )


def test_a_planned_condition_over_an_earlier_stage_becomes_the_stages_guard():
    """What a model plans (`condition` over `stages.<id>`) is what the engine evaluates."""
    from canvas.components import CoordinatorConfig
    from coordinator.engine.steps.coordinator import stage_children
    from coordinator.schemas import ExecutionPlan, Stage

    plan = ExecutionPlan(
        pattern="conditional",
        stages=[
            Stage(id="s1", agent="sales", query="revenue by region"),
            Stage(id="s2", agent="weather", query="forecast", condition="stages.s1.status == 'x'"),
            Stage(
                id="s3",
                agent="echo",
                query="summary",
                condition="stages['s2'].output.rows | length > 1 and stages.s1.output",
            ),
        ],
    )
    children = stage_children("coord", plan, CoordinatorConfig(), [], [])
    guards = {c.step_id: (c.spec.get("when"), c.depends_on) for c in children}
    assert guards["coord.s2"] == ("steps['coord.s1'].status == 'x'", ["coord.s1"])
    assert guards["coord.s3"] == (
        "steps['coord.s2'].output.rows | length > 1 and steps['coord.s1'].output",
        ["coord.s2", "coord.s1"],
    )
