"""human_approval and human_input steps put the run in `waiting` until a person decides
through coordinator.engine.approvals.decide; a deadline applies the step's default action."""

import pytest

from coordinator import clock, engine
from coordinator.clock import ManualClock
from coordinator.engine.approvals import DecisionError, decide
from coordinator.models import Approval
from tests.engine_helpers import event_types, events, make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def approval_plan(**review) -> dict:
    return {
        "name": "reviewed",
        "steps": [
            {
                "id": "draft",
                "type": "agent",
                "agent": "echo",
                "query": "draft for {{ input.topic }}",
            },
            {
                "id": "review",
                "type": "human_approval",
                "depends_on": ["draft"],
                "prompt": "Approve the draft: {{ steps.draft.output.text }}",
                "assignee": "{{ input.reviewer }}",
                **review,
            },
            {
                "id": "publish",
                "type": "agent",
                "agent": "echo",
                "depends_on": ["review"],
                "query": "publish ({{ steps.review.output.comment }})",
            },
        ],
    }


def waiting(run):
    run = wait_for(run, statuses=("waiting",))
    return run, Approval.objects.get(run=run, status="pending")


def test_an_approval_waits_for_the_assignee_then_the_run_goes_on(
    alice, bob, engine_settings, agent_calls
):
    make_agent("echo", "Echoes the query back.")
    run, approval = waiting(start(alice, approval_plan(), input={"topic": "Q3", "reviewer": "bob"}))

    assert approval.kind == "approval"
    assert approval.assignee_user == bob
    assert approval.prompt == "Approve the draft: echo: draft for Q3"
    assert step(run, "publish").status == "pending"
    requested = events(run, "approval.requested")[0]
    assert requested.step == "review" and requested.data["assignee"] == "bob"

    decide(approval, bob, approve=True, comment="ship it")
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert step(run, "review").output == {"approved": True, "by": "bob", "comment": "ship it"}
    assert [c["query"] for c in agent_calls()] == ["draft for Q3", "publish (ship it)"]
    assert events(run, "approval.decided")[0].data["status"] == "approved"
    with pytest.raises(DecisionError, match="already approved"):
        decide(approval, bob, approve=False)


def test_a_rejection_fails_the_step_and_the_run(alice, bob, engine_settings, agent_calls):
    make_agent("echo", "Echoes the query back.")
    run, approval = waiting(start(alice, approval_plan(), input={"topic": "Q3", "reviewer": "bob"}))

    decide(approval, bob, approve=False, comment="numbers are wrong")
    run = wait_for(run)

    assert run.status == "failed"
    assert step(run, "review").error == "rejected by bob: numbers are wrong"
    assert step(run, "publish").status == "skipped"
    assert [c["query"] for c in agent_calls()] == ["draft for Q3"]


def test_an_unknown_assignee_fails_the_step_instead_of_waiting_forever(alice, engine_settings):
    make_agent("echo", "Echoes the query back.")
    run = wait_for(start(alice, approval_plan(), input={"topic": "Q3", "reviewer": "nobody"}))

    assert run.status == "failed"
    assert step(run, "review").error == "assignee: no active user named 'nobody'"
    assert not Approval.objects.filter(run=run).exists()


def test_a_due_approval_takes_its_default_action_on_the_next_sweep(alice, bob, engine_settings):
    make_agent("echo", "Echoes the query back.")
    run, approval = waiting(
        start(
            alice,
            approval_plan(approval_timeout_seconds=600, default_action="approve"),
            input={"topic": "Q3", "reviewer": "bob"},
        )
    )
    assert approval.due_at is not None
    with clock.use(ManualClock(start=clock.now())) as manual:
        assert engine.sweep()["expired_approvals"] == 0  # not due yet
        manual.advance(601)
        assert engine.sweep()["expired_approvals"] == 1
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    approval.refresh_from_db()
    assert approval.status == "approved" and approval.decided_by is None
    assert step(run, "review").output["by"] == "timeout"


def test_a_due_approval_without_a_default_fails_the_run(alice, bob, engine_settings):
    make_agent("echo", "Echoes the query back.")
    run, approval = waiting(
        start(
            alice,
            approval_plan(approval_timeout_seconds=600),
            input={"topic": "Q3", "reviewer": "bob"},
        )
    )
    with clock.use(ManualClock(start=clock.now())) as manual:
        manual.advance(601)
        engine.sweep()
    run = wait_for(run)

    assert run.status == "failed"
    assert step(run, "review").error == "no decision before the deadline"


FORM = {
    "type": "object",
    "required": ["budget"],
    "properties": {"budget": {"type": "integer", "minimum": 1}, "note": {"type": "string"}},
}


def input_plan() -> dict:
    return {
        "name": "asks",
        "steps": [
            {"id": "ask", "type": "human_input", "prompt": "How much may we spend?", "form": FORM},
            {
                "id": "plan",
                "type": "agent",
                "agent": "echo",
                "depends_on": ["ask"],
                "query": "plan with {{ steps.ask.output.response.budget }}",
                "input": {"answer": "{{ steps.ask.output.response }}"},
            },
        ],
    }


def test_an_input_step_takes_a_form_response_that_matches_its_schema(
    alice, engine_settings, agent_calls
):
    make_agent("echo", "Echoes the query back.")
    run, request = waiting(start(alice, input_plan()))

    assert request.kind == "input" and request.form == FORM
    assert events(run, "input.requested")[0].data["form"] == FORM
    with pytest.raises(DecisionError, match="response: 'budget' is a required property"):
        decide(request, alice, response={"note": "no number"})
    with pytest.raises(DecisionError, match="response.budget: 0 is less than the minimum of 1"):
        decide(request, alice, response={"budget": 0})
    with pytest.raises(DecisionError, match="input items take respond, reject"):
        decide(request, alice, approve=True)
    assert Approval.objects.get(pk=request.pk).status == "pending"

    decide(request, alice, response={"budget": 5000, "note": "tight"})
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert step(run, "ask").output == {"response": {"budget": 5000, "note": "tight"}, "by": "alice"}
    assert agent_calls()[0]["query"] == "plan with 5000"
    assert agent_calls()[0]["input"] == {"answer": {"budget": 5000, "note": "tight"}}
    assert "input.received" in event_types(run)


def test_a_group_assignee_lets_any_member_decide(alice, bob, charlie, team, engine_settings):
    from coordinator.engine.approvals import can_decide

    run, approval = waiting(
        start(
            alice,
            {
                "name": "g",
                "steps": [{"id": "ok", "type": "human_approval", "assignee": "group:research"}],
            },
        )
    )

    assert approval.assignee_group == team and approval.assignee_user is None
    assert can_decide(approval, bob) and not can_decide(approval, charlie)
    decide(approval, bob, approve=True)
    assert wait_for(run).status == "succeeded"
