"""Four eyes: the person who started a run cannot decide its approvals, even when the plan
lets them name themselves as the reviewer — unless the step says allow_self_approval:
true. Refusals and self-approvals are both in the run's audit trail."""

import pytest

from coordinator.models import Approval, RunEvent
from tests.engine_helpers import start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def gate(**options) -> dict:
    return {
        "name": "gate",
        "steps": [
            {
                "id": "review",
                "type": "human_approval",
                "prompt": "Publish?",
                "assignee": "{{ input.reviewer }}",
                **options,
            },
            {"id": "publish", "type": "transform", "depends_on": ["review"], "output": "done"},
        ],
    }


def pending(run) -> Approval:
    wait_for(run, statuses=("waiting",))
    return Approval.objects.get(run=run, status="pending")


def decide(client, approval):
    return client.post(f"/api/approvals/{approval.pk}/decide/", {"approve": True}, format="json")


def test_the_starter_naming_themselves_as_reviewer_cannot_approve(
    alice, api_alice, engine_settings
):
    approval = pending(start(alice, gate(), input={"reviewer": "alice"}))
    response = decide(api_alice, approval)
    assert response.status_code == 403
    assert "four eyes" in response.json()["detail"]
    approval.refresh_from_db()
    assert approval.status == "pending"
    refused = RunEvent.objects.get(run=approval.run, type="approval.refused")
    assert refused.data["by"] == "alice"


def test_someone_else_with_access_approves_and_the_audit_says_it_was_not_the_starter(
    alice, bob, team, api_bob, engine_settings
):
    approval = pending(start(alice, gate(), input={"reviewer": "group:research"}))
    assert decide(api_bob, approval).status_code == 200
    run = wait_for(approval.run)
    assert run.status == "succeeded"
    decided = RunEvent.objects.get(run=run, type="approval.decided")
    assert (decided.data["by"], decided.data["self_approved"]) == ("bob", False)


def test_a_step_that_allows_self_approval_lets_the_starter_decide_and_records_it(
    alice, api_alice, engine_settings
):
    approval = pending(start(alice, gate(allow_self_approval=True), input={"reviewer": "alice"}))
    assert decide(api_alice, approval).status_code == 200
    run = wait_for(approval.run)
    assert run.status == "succeeded"
    assert step(run, "review").output["by"] == "alice"
    decided = RunEvent.objects.get(run=run, type="approval.decided")
    assert decided.data["self_approved"] is True


def test_allow_self_approval_survives_the_canvas_round_trip():
    from canvas.graph import compile_graph, plan_to_graph
    from canvas.plan import Plan

    plan = Plan.model_validate(gate(allow_self_approval=True))
    again = compile_graph(plan_to_graph(plan), "gate")
    assert again.steps[0].allow_self_approval is True
