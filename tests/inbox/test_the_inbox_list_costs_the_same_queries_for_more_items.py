"""Listing the inbox is a fixed number of queries however many items it shows (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


def queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/approvals/?status=all")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_six_items_cost_no_more_queries_than_two(alice, bob, api_bob, engine_settings):
    for _ in range(2):
        _, item = waiting_item(alice, gate("bob"))
    api_bob.post(f"/api/approvals/{item.pk}/claim/")  # history with an actor: one more query
    two = queries_for_list(api_bob)
    for _ in range(4):
        _, item = waiting_item(alice, gate("bob"))
    api_bob.post(f"/api/approvals/{item.pk}/claim/")
    six = queries_for_list(api_bob)
    assert len(api_bob.get("/api/approvals/?status=all").json()["results"]) == 6
    assert six == two
