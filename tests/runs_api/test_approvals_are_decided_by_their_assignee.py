import pytest

from coordinator.models import Approval
from tests.engine_helpers import start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

GATE = {
    "name": "gate",
    "steps": [
        {
            "id": "review",
            "type": "human_approval",
            "prompt": "Publish {{ input.title }}?",
            "assignee": "bob",
        },
        {"id": "publish", "type": "transform", "depends_on": ["review"], "output": "published"},
    ],
}
FORM = {
    "name": "form",
    "steps": [
        {
            "id": "ask",
            "type": "human_input",
            "prompt": "Budget?",
            "assignee": "bob",
            "form": {
                "type": "object",
                "required": ["amount"],
                "properties": {"amount": {"type": "integer", "minimum": 1}},
            },
        },
    ],
}


def pending(run) -> Approval:
    wait_for(run, statuses=("waiting",))
    return Approval.objects.get(run=run, status="pending")


def test_bob_sees_and_approves_the_request_and_the_run_finishes(
    alice, bob, api_bob, engine_settings
):
    run = start(alice, GATE, input={"title": "Q3 report"})
    approval = pending(run)
    listed = api_bob.get("/api/approvals/?status=pending").json()["results"]
    assert [a["id"] for a in listed] == [str(approval.pk)]
    assert listed[0]["prompt"] == "Publish Q3 report?" and listed[0]["assignee"] == "bob"
    response = api_bob.post(
        f"/api/approvals/{approval.pk}/decide/", {"approve": True, "comment": "ok"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved" and response.json()["decided_by"] == "bob"
    run = wait_for(run)
    assert run.status == "succeeded"
    assert step(run, "review").output == {"approved": True, "by": "bob", "comment": "ok"}
    assert run.result["answer"] == "published"


def test_a_rejection_fails_the_step_and_skips_what_follows(alice, bob, api_bob, engine_settings):
    run = start(alice, GATE, input={"title": "x"})
    approval = pending(run)
    api_bob.post(
        f"/api/approvals/{approval.pk}/decide/",
        {"approve": False, "comment": "not yet"},
        format="json",
    )
    run = wait_for(run)
    assert run.status == "failed"
    assert step(run, "review").error == "rejected by bob: not yet"
    assert step(run, "publish").status == "skipped"


def test_deciding_twice_is_a_conflict(alice, bob, api_bob, engine_settings):
    approval = pending(start(alice, GATE, input={"title": "x"}))
    api_bob.post(f"/api/approvals/{approval.pk}/decide/", {"approve": True}, format="json")
    again = api_bob.post(f"/api/approvals/{approval.pk}/decide/", {"approve": False}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "already approved"


def test_others_cannot_see_or_decide_bobs_approval(
    alice, bob, charlie, api_alice, api_charlie, engine_settings
):
    approval = pending(start(alice, GATE, input={"title": "x"}))
    for client in (api_charlie, api_alice):
        assert client.get(f"/api/approvals/{approval.pk}/").status_code == 404
        assert (
            client.post(
                f"/api/approvals/{approval.pk}/decide/", {"approve": True}, format="json"
            ).status_code
            == 404
        )
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_a_form_answer_is_validated_against_its_schema(alice, bob, api_bob, engine_settings):
    run = start(alice, FORM)
    approval = pending(run)
    url = f"/api/approvals/{approval.pk}/decide/"
    missing = api_bob.post(url, {"response": {}}, format="json")
    assert missing.status_code == 400
    assert "'amount' is a required property" in missing.json()["detail"]
    wrong = api_bob.post(url, {"response": {"amount": 0}}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "response.amount"
    assert api_bob.post(url, {"approve": True}, format="json").status_code == 400
    assert api_bob.post(url, {"response": {"amount": 500}}, format="json").status_code == 200
    run = wait_for(run)
    assert step(run, "ask").output == {"response": {"amount": 500}, "by": "bob"}
