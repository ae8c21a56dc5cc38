"""Reassign hands an item to a user or group:NAME; it leaves the old assignee's inbox and the
history says who moved it where."""

import pytest
from django.contrib.auth.models import Group

from tests.engine_helpers import events, wait_for
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


def test_bob_hands_his_item_to_charlie_who_decides_it(
    alice, bob, charlie, api_bob, api_charlie, engine_settings
):
    run, item = waiting_item(alice, gate("bob"))
    assert api_charlie.get(f"/api/approvals/{item.pk}/").status_code == 404

    moved = api_bob.post(
        f"/api/approvals/{item.pk}/reassign/", {"to": "charlie", "comment": "yours"}, format="json"
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["assignee"] == "charlie"
    assert api_bob.get(f"/api/approvals/{item.pk}/").status_code == 404
    assert [i["id"] for i in api_charlie.get("/api/approvals/").json()["results"]] == [str(item.pk)]
    event = events(run, "approval.reassigned")[0]
    assert event.data["from"] == "bob" and event.data["to"] == "charlie"

    api_charlie.post(f"/api/approvals/{item.pk}/decide/", {"action": "approve"}, format="json")
    assert wait_for(run).status == "succeeded"
    history = api_charlie.get(f"/api/approvals/{item.pk}/").json()["history"]
    assert [(h["action"], h["by"]) for h in history] == [
        ("requested", None),
        ("reassigned", "bob"),
        ("approved", "charlie"),
    ]
    assert (
        history[1]["data"] == {"from": "bob", "to": "charlie"} and history[1]["comment"] == "yours"
    )


def test_reassigning_to_a_group_or_nobody_known(alice, bob, charlie, api_bob, engine_settings):
    Group.objects.create(name="finance").user_set.add(charlie)
    _, item = waiting_item(alice, gate("bob"))
    url = f"/api/approvals/{item.pk}/reassign/"

    unknown = api_bob.post(url, {"to": "nobody"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == [{"field": "to", "message": "no active user named 'nobody'"}]
    assert api_bob.post(url, {}, format="json").status_code == 400
    moved = api_bob.post(url, {"to": "group:finance"}, format="json")
    assert moved.status_code == 200 and moved.json()["group"] == "finance"
