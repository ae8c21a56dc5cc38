"""The change form's live check: POST the unsaved agent as JSON, get its findings. Staff
only; a bad body is a 400 naming the field."""

import json

from django.contrib.auth.models import User

URL = "/admin/canvas/agent/check/"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_the_draft_is_checked_against_the_other_enabled_agents(admin_client, registry):
    response = post(
        admin_client,
        {
            "slug": "refunds",
            "name": "Refunds",
            "description": "Refunds invoices and payments for customers who were charged twice "
            "on one bill.",
            "examples": "Refund my double charge\nI was billed twice",
        },
    )
    assert response.status_code == 200
    data = response.json()
    by_code = {f["code"]: f for f in data["findings"]}
    assert {"no_limits", "overlap"} <= set(by_code) and "too_short" not in by_code
    assert by_code["overlap"]["closest"][0]["slug"] == "billing"
    assert "invoices" in by_code["overlap"]["closest"][0]["shared_terms"]
    assert data["quality"].startswith("no_limits, overlap")


def test_a_disabled_agent_is_no_overlap(admin_client, registry):
    registry["billing"].enabled = False
    registry["billing"].save()
    response = post(
        admin_client,
        {"slug": "refunds", "description": registry["refunds"].description + " Not for tax."},
    )
    codes = [f["code"] for f in response.json()["findings"]]
    assert "overlap" not in codes


def test_bad_bodies_name_the_field(admin_client, registry):
    assert post(admin_client, {"description": 7}).json() == {"description": ["must be a string"]}
    bad = admin_client.post(URL, "{oops", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"].startswith("not JSON")
    assert admin_client.get(URL).status_code == 405


def test_non_staff_users_are_sent_to_the_login_page(client, registry):
    User.objects.create_user("eve", password="eve-pass-123")
    client.login(username="eve", password="eve-pass-123")
    response = post(client, {"description": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
