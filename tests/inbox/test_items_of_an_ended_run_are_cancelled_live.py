"""When a run ends while an item waits (cancelled, failed, timed out), the item is cancelled
and an event says so, so open inboxes drop it and the run's timeline shows it."""

import pytest

from coordinator import engine
from tests.engine_helpers import events, wait_for
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


def test_cancelling_a_waiting_run_cancels_its_item(alice, bob, api_bob, engine_settings):
    run, item = waiting_item(alice, gate("bob"))
    engine.cancel(run, alice)
    run = wait_for(run)

    item.refresh_from_db()
    assert item.status == "cancelled" and item.decided_at is not None
    decided = events(run, "approval.decided")[0]
    assert decided.step == "review" and decided.data["status"] == "cancelled"
    assert api_bob.get("/api/approvals/count/").json() == {"pending": 0}
    late = api_bob.post(f"/api/approvals/{item.pk}/decide/", {"action": "approve"}, format="json")
    assert late.status_code == 409 and late.json()["detail"] == "already cancelled"
