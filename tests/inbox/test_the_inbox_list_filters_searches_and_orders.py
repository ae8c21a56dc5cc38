"""GET /api/approvals/: pending by default, filters by status, kind, canvas and assignment,
searches, most urgent first; bad filters are a 400 naming the parameter."""

import pytest

from tests.engine_helpers import make_canvas
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


def ids(client, query: str = "") -> list[str]:
    response = client.get(f"/api/approvals/{query}")
    assert response.status_code == 200, response.json()
    return [i["id"] for i in response.json()["results"]]


def test_filters_and_order(alice, bob, team, api_bob, engine_settings):
    report = make_canvas(alice, "quarterly-report")
    _, mine = waiting_item(alice, gate("bob"), canvas=report)
    _, ours = waiting_item(alice, gate("group:research"))
    _, urgent = waiting_item(alice, gate("bob", approval_timeout_seconds=600))

    assert ids(api_bob) == [str(urgent.pk), str(ours.pk), str(mine.pk)]
    assert set(ids(api_bob, "?assigned=me")) == {str(mine.pk), str(urgent.pk)}
    assert ids(api_bob, "?assigned=groups") == [str(ours.pk)]
    assert ids(api_bob, f"?canvas={report.pk}") == [str(mine.pk)]
    assert ids(api_bob, "?q=QUARTERLY") == [str(mine.pk)]
    assert ids(api_bob, "?kind=input") == []
    assert ids(api_bob, "?status=decided") == []
    assert api_bob.get("/api/approvals/count/").json() == {"pending": 3}

    api_bob.post(f"/api/approvals/{mine.pk}/decide/", {"action": "approve"}, format="json")
    assert ids(api_bob, "?status=decided") == [str(mine.pk)]
    assert len(ids(api_bob, "?status=all")) == 3
    assert api_bob.get("/api/approvals/count/").json() == {"pending": 2}


def test_bad_filters_are_refused(alice, api_bob):
    for query, field in (
        ("?status=maybe", "status"),
        ("?kind=vote", "kind"),
        ("?assigned=them", "assigned"),
        ("?canvas=nope", "canvas"),
    ):
        response = api_bob.get(f"/api/approvals/{query}")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field
