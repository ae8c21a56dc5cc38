"""A coordinator with review_plan: true stops after planning and waits in the inbox; approve
runs the plan, edit runs the edited plan (only the agents kept), reject ends the run."""

import pytest

from coordinator.engine.approvals import DecisionError, decide
from coordinator.models import Approval
from tests.engine.coordinator_plans import coordinator_plan, register_team
from tests.engine_helpers import event_types, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

QUERY = "Show the revenue by region, and also the weather forecast for Paris tomorrow"


def reviewed(alice, **config):
    register_team()
    plan = coordinator_plan(review_plan=True, plan_reviewer="bob", **config)
    run = wait_for(start(alice, plan, query=QUERY), statuses=("waiting", "failed", "succeeded"))
    assert run.status == "waiting", run.error
    return run, Approval.objects.get(run=run, status="pending")


def test_the_plan_waits_for_the_reviewer_before_any_agent_runs(
    alice, bob, engine_settings, agent_calls
):
    run, item = reviewed(alice)

    assert item.kind == "plan_review" and item.assignee_user == bob
    plan = step(run, "coord").output["plan"]
    assert {s["agent"] for s in plan["stages"]} >= {"sales", "weather"}
    assert agent_calls() == []
    assert "phase.completed" in event_types(run)
    assert "sales" in item.prompt and "weather" in item.prompt

    decide(item, bob, action="approve")
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert {c["agent"] for c in agent_calls()} >= {"sales", "weather"}
    assert step(run, "coord").output["plan"]["stages"] == plan["stages"]


def test_an_edited_plan_runs_only_the_agents_the_reviewer_kept(
    alice, bob, engine_settings, agent_calls
):
    run, item = reviewed(alice)
    plan = step(run, "coord").output["plan"]
    kept = [s for s in plan["stages"] if s["agent"] != "weather"]
    kept = [
        {**s, "depends_on": [d for d in s["depends_on"] if d in {k["id"] for k in kept}]}
        for s in kept
    ]

    decide(item, bob, action="edit", edits={"plan": {"stages": kept}}, comment="no weather")
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert [c["agent"] for c in agent_calls()] == ["sales"]
    item.refresh_from_db()
    assert item.status == "approved" and item.edits["plan"]["stages"] == kept
    diff = item.entries.get(action="edited").data["diff"]
    dropped = [d for d in diff if d["after"] is None]
    assert [d["before"] for d in dropped] == ["weather"]
    assert step(run, "coord").output["review"] == {"by": "bob", "edited": True}


def test_a_plan_edit_is_refused_when_it_names_an_agent_the_coordinator_cannot_use(
    alice, bob, engine_settings
):
    run, item = reviewed(alice)
    plan = step(run, "coord").output["plan"]
    stages = [{**plan["stages"][0], "agent": "mystery"}]

    with pytest.raises(DecisionError, match=r"edits.plan.stages.0.agent: 'mystery' is not one"):
        decide(item, bob, action="edit", edits={"plan": {"stages": stages}})
    with pytest.raises(DecisionError, match="edits.plan: nothing changed"):
        decide(item, bob, action="edit", edits={"plan": {"stages": plan["stages"]}})
    assert Approval.objects.get(pk=item.pk).status == "pending"


def test_a_rejected_plan_ends_the_run_with_the_reason(alice, bob, engine_settings, agent_calls):
    run, item = reviewed(alice)

    with pytest.raises(DecisionError, match="comment: a rejection needs a reason"):
        decide(item, bob, action="reject")
    decide(item, bob, action="reject", comment="ask finance instead")
    run = wait_for(run)

    assert run.status == "failed"
    assert "plan rejected by bob: ask finance instead" in run.error
    assert agent_calls() == []
