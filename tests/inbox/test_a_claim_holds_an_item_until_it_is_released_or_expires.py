"""Claims: the claimer alone may decide; anyone else gets a 409 naming them; a claim ends when
released or after BATON_CLAIM_MINUTES (moved forward with a ManualClock, not slept)."""

from datetime import UTC, datetime

import pytest

from coordinator import clock
from tests.engine_helpers import wait_for
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def group_item(alice, bob, charlie, team, engine_settings):
    charlie.groups.add(team)
    return waiting_item(alice, gate("group:research"))


def url(item, verb: str) -> str:
    return f"/api/approvals/{item.pk}/{verb}/"


def test_a_claimed_item_is_a_conflict_for_everyone_else(
    group_item, api_bob, api_charlie, engine_settings
):
    run, item = group_item
    claimed = api_bob.post(url(item, "claim"))
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == "bob"

    for verb, body in (("decide", {"action": "approve"}), ("claim", {}), ("release", {})):
        refused = api_charlie.post(url(item, verb), body, format="json")
        assert refused.status_code == 409, verb
        assert refused.json()["claimed_by"] == "bob"
        assert refused.json()["detail"].startswith("claimed by bob")
    reassign = api_charlie.post(url(item, "reassign"), {"to": "charlie"}, format="json")
    assert reassign.status_code == 409 and reassign.json()["claimed_by"] == "bob"

    decided = api_bob.post(url(item, "decide"), {"action": "approve"}, format="json")
    assert decided.status_code == 200 and decided.json()["decided_by"] == "bob"
    assert wait_for(run).status == "succeeded"


def test_a_released_item_can_be_claimed_by_someone_else(group_item, api_bob, api_charlie):
    _, item = group_item
    api_bob.post(url(item, "claim"))
    assert api_charlie.post(url(item, "release")).status_code == 409
    released = api_bob.post(url(item, "release"))
    assert released.status_code == 200 and released.json()["claimed_by"] is None
    assert api_charlie.post(url(item, "claim")).json()["claimed_by"] == "charlie"
    history = [h["action"] for h in api_charlie.get(f"/api/approvals/{item.pk}/").json()["history"]]
    assert history == ["requested", "claimed", "released", "claimed"]


def test_a_claim_expires_after_the_configured_minutes(group_item, api_bob, api_charlie, settings):
    settings.BATON_CLAIM_MINUTES = 15
    _, item = group_item
    with clock.use(clock.ManualClock(datetime.now(UTC))) as manual:
        claimed = api_bob.post(url(item, "claim")).json()
        until = datetime.fromisoformat(claimed["claimed_until"])
        assert (until - manual.now()).total_seconds() == 15 * 60

        manual.advance(14 * 60)
        assert api_charlie.post(url(item, "claim")).status_code == 409

        manual.advance(61)
        listed = api_charlie.get("/api/approvals/").json()["results"][0]
        assert listed["claimed_by"] is None
        taken = api_charlie.post(url(item, "claim"))
        assert taken.status_code == 200 and taken.json()["claimed_by"] == "charlie"
