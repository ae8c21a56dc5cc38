"""The permission matrix of every inbox endpoint and the inbox socket: the assignee, a member
of the assigned group and staff may act; another user gets 404; anonymous gets 401/403."""

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User

from tests.conftest import client_for
from tests.inbox.helpers import gate, waiting_item
from tests.live.ws import communicator, receive_until, token_for

pytestmark = pytest.mark.django_db(transaction=True)

READS = [("get", "")]
WRITES = [
    ("post", "claim/"),
    ("post", "release/"),
    ("post", "reassign/"),
    ("post", "decide/"),
]


def call(client, method, item, suffix):
    path = f"/api/approvals/{item.pk}/{suffix}"
    body = {"to": "bob"} if suffix == "reassign/" else {"action": "approve"}
    return getattr(client, method)(path, body if method == "post" else None, format="json")


@pytest.fixture
def staff(db):
    return User.objects.create_user("root", "root@example.com", "root-pass-123", is_staff=True)


def test_strangers_get_404_and_anonymous_401_on_every_endpoint(
    alice, bob, charlie, api_charlie, api_anon, engine_settings
):
    _, item = waiting_item(alice, gate("bob"))
    for method, suffix in READS + WRITES:
        assert call(api_charlie, method, item, suffix).status_code == 404, suffix
        assert call(api_anon, method, item, suffix).status_code in (401, 403), suffix
    assert api_charlie.get("/api/approvals/").json()["results"] == []
    assert api_charlie.get("/api/approvals/count/").json() == {"pending": 0}
    assert api_anon.get("/api/approvals/").status_code in (401, 403)
    assert api_anon.get("/api/approvals/count/").status_code in (401, 403)
    item.refresh_from_db()
    assert item.status == "pending" and item.claimed_by is None


@pytest.mark.parametrize("who", ["assignee", "member", "staff"])
def test_the_assignee_a_group_member_and_staff_may_act(
    who, alice, bob, charlie, team, staff, engine_settings
):
    assignee = "group:research" if who == "member" else "bob"
    actor = {"assignee": bob, "member": bob, "staff": staff}[who]
    client = client_for(actor)
    _, item = waiting_item(alice, gate(assignee))

    assert client.get(f"/api/approvals/{item.pk}/").status_code == 200
    # staff may act on every item, but their badge counts only their own inbox
    badge = client.get("/api/approvals/count/").json()["pending"]
    assert badge == (0 if who == "staff" else 1)
    assert client.post(f"/api/approvals/{item.pk}/claim/").status_code == 200
    assert client.post(f"/api/approvals/{item.pk}/release/").status_code == 200
    decided = client.post(f"/api/approvals/{item.pk}/decide/", {"action": "approve"}, format="json")
    assert decided.status_code == 200 and decided.json()["decided_by"] == actor.username


@pytest.mark.asyncio
async def test_the_inbox_socket_refuses_anonymous_and_tells_only_the_assignee(
    alice, bob, charlie, engine_settings
):
    anonymous = communicator("/ws/inbox/")
    connected, code = await anonymous.connect()
    assert not connected and code == 4401

    bob_inbox = communicator("/ws/inbox/", token=await sync_to_async(token_for)(bob))
    charlie_inbox = communicator("/ws/inbox/", token=await sync_to_async(token_for)(charlie))
    assert (await bob_inbox.connect())[0] and (await charlie_inbox.connect())[0]
    assert (await receive_until(bob_inbox, lambda m: m["type"] == "snapshot"))[-1]["pending"] == 0
    await receive_until(charlie_inbox, lambda m: m["type"] == "snapshot")

    _, item = await sync_to_async(waiting_item)(alice, gate("bob"))
    await receive_until(bob_inbox, lambda m: m["type"] == "approval.requested")
    await sync_to_async(client_for(bob).post)(f"/api/approvals/{item.pk}/claim/")
    claimed = await receive_until(bob_inbox, lambda m: m["type"] == "approval.claimed")
    assert claimed[-1]["data"]["by"] == "bob"
    assert await charlie_inbox.receive_nothing(timeout=0.3)
    await bob_inbox.disconnect()
    await charlie_inbox.disconnect()
