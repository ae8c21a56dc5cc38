"""required_approvals: N with a group assignee: N distinct members must approve (k of N is
shown); one rejection rejects; after the Nth approval a further decision is a 409."""

import pytest
from django.contrib.auth.models import User

from tests.conftest import client_for
from tests.engine_helpers import step, wait_for
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def members(alice, bob, charlie, team):
    dave = User.objects.create_user("dave", "dave@example.com", "dave-pass-123")
    charlie.groups.add(team)
    dave.groups.add(team)
    return {u.username: client_for(u) for u in (bob, charlie, dave)}


def decide(client, item, **body):
    return client.post(f"/api/approvals/{item.pk}/decide/", body, format="json")


def test_two_approvals_resume_the_run_and_a_third_is_a_conflict(alice, members, engine_settings):
    run, item = waiting_item(alice, gate("group:research", required_approvals=2))

    first = decide(members["bob"], item, action="approve", comment="fine by me")
    assert first.status_code == 200, first.json()
    assert first.json()["status"] == "pending"
    assert first.json()["approvals"] == ["bob"] and first.json()["required_approvals"] == 2
    assert "edit" not in first.json()["actions"]
    again = decide(members["bob"], item, action="approve")
    assert again.status_code == 409 and again.json()["detail"] == "bob already approved (1 of 2)"

    second = decide(members["charlie"], item, action="approve")
    assert second.status_code == 200 and second.json()["status"] == "approved"
    third = decide(members["dave"], item, action="approve")
    assert third.status_code == 409 and third.json()["detail"] == "already approved"

    run = wait_for(run)
    assert run.status == "succeeded", run.error
    assert step(run, "review").output["approvals"] == ["bob", "charlie"]
    votes = [h for h in second.json()["history"] if h["action"] == "approved"]
    assert [(v["by"], v["comment"]) for v in votes] == [("bob", "fine by me"), ("charlie", "")]


def test_one_rejection_rejects_even_after_an_approval(alice, members, engine_settings):
    run, item = waiting_item(alice, gate("group:research", required_approvals=2))

    assert decide(members["bob"], item, action="approve").status_code == 200
    rejected = decide(members["dave"], item, action="reject", comment="numbers are off")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"

    run = wait_for(run)
    assert run.status == "failed"
    assert step(run, "review").error == "rejected by dave: numbers are off"


def test_staff_outside_the_group_cannot_cast_a_vote(alice, members, engine_settings):
    boss = User.objects.create_user("boss", "boss@example.com", "boss-pass-123", is_staff=True)
    _, item = waiting_item(alice, gate("group:research", required_approvals=2))

    refused = decide(client_for(boss), item, action="approve")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "only members of group research can approve this item"


def test_n_approvals_need_a_group_with_enough_members(alice, bob, team, engine_settings):
    from tests.engine_helpers import start

    run = wait_for(start(alice, gate("bob", required_approvals=2)))
    assert step(run, "review").error == (
        "required_approvals: 2 approvals need a group:NAME assignee"
    )
    run = wait_for(start(alice, gate("group:research", required_approvals=3)))
    assert step(run, "review").error == (
        "required_approvals: group research has 2 active member(s), fewer than the 3 "
        "approvals needed"
    )
