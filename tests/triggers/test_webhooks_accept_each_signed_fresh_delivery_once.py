"""POST /api/hooks/<id>/: a JSON delivery signed with the trigger's secret (HMAC-SHA256 over
"{t}.{raw body}", `Baton-Signature: t=…,v1=…`) within ±300 s starts one run; everything else
is refused with a precise status, and nothing starts."""

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from coordinator import clock
from coordinator.models import Run
from tests.engine_helpers import embedded_only, wait_for
from tests.triggers.helpers import create_trigger, echo_canvas
from triggers.signatures import header

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def manual_clock():
    with clock.use(clock.ManualClock(NOW)) as manual:
        yield manual


@pytest.fixture
def hook(api_alice, alice, engine_settings, manual_clock):
    canvas = echo_canvas(alice, "invoices")
    return create_trigger(
        api_alice,
        canvas,
        kind="webhook",
        query="invoice {{ payload.invoice.id }} paid",
        input={"amount": "{{ payload.invoice.amount }}"},
    )


def deliver(hook, body, *, secret=None, t=None, delivery="d-1", content_type="application/json"):
    """A webhook delivery from an outside sender: no session, CSRF checks on."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    stamp = int(clock.now().timestamp()) if t is None else t
    headers = {"HTTP_BATON_DELIVERY": delivery}
    if secret is not False:
        headers["HTTP_BATON_SIGNATURE"] = header(secret or hook["secret"], stamp, raw)
    return Client(enforce_csrf_checks=True).generic(
        "POST", f"/api/hooks/{hook['id']}/", raw, content_type=content_type, **headers
    )


INVOICE = {"invoice": {"id": "INV-7", "amount": 120}}


def test_a_signed_delivery_starts_a_run_with_the_mapped_payload(hook):
    response = deliver(hook, INVOICE)

    assert response.status_code == 202, response.json()
    run = wait_for(Run.objects.get(pk=response.json()["run"]))
    assert run.status == "succeeded", run.error
    assert (run.query, run.input) == ("invoice INV-7 paid", {"amount": 120})
    assert (run.trigger, str(run.source_trigger_id)) == ("webhook", hook["id"])


def test_the_secret_is_shown_once_at_creation(api_alice, hook):
    assert hook["secret"].startswith("whsec_")
    assert hook["webhook_url"].endswith(f"/api/hooks/{hook['id']}/")
    shown = api_alice.get(f"/api/triggers/{hook['id']}/").json()
    assert "secret" not in shown and hook["secret"] not in json.dumps(shown)


@pytest.mark.parametrize(
    "how, message",
    [
        ({"secret": "whsec_not-the-secret"}, "does not match"),
        ({"secret": False}, "missing Baton-Signature"),
        ({"t": int(NOW.timestamp()) - 301}, "more than 300 s old"),
        ({"t": int(NOW.timestamp()) + 301}, "in the future"),
    ],
    ids=["wrong secret", "unsigned", "stale", "future"],
)
def test_a_badly_signed_delivery_is_a_401_and_starts_nothing(hook, how, message):
    response = deliver(hook, INVOICE, **how)
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert Run.objects.count() == 0


def test_a_signature_at_the_edge_of_the_window_is_accepted(hook):
    assert deliver(hook, INVOICE, t=int(NOW.timestamp()) - 300).status_code == 202


def test_a_body_changed_after_signing_is_refused(hook):
    raw = json.dumps(INVOICE).encode()
    signature = header(hook["secret"], int(NOW.timestamp()), raw)
    response = Client().generic(
        "POST",
        f"/api/hooks/{hook['id']}/",
        raw.replace(b"120", b"999"),
        content_type="application/json",
        HTTP_BATON_SIGNATURE=signature,
        HTTP_BATON_DELIVERY="d-9",
    )
    assert response.status_code == 401


def test_a_replayed_delivery_is_a_409(hook):
    assert deliver(hook, INVOICE, delivery="evt_1").status_code == 202
    again = deliver(hook, INVOICE, delivery="evt_1")
    assert again.status_code == 409
    assert "already accepted" in again.json()["detail"]
    assert deliver(hook, INVOICE, delivery="evt_2").status_code == 202
    assert Run.objects.count() == 2


def test_a_delivery_without_an_id_is_a_400(hook):
    assert deliver(hook, INVOICE, delivery="").status_code == 400


def test_only_json_is_accepted(hook):
    response = deliver(hook, b"invoice=INV-7", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert deliver(hook, b"{not json", delivery="d-2").status_code == 400
    assert Run.objects.count() == 0


def test_a_body_over_the_limit_is_a_413(hook, settings):
    settings.BATON_WEBHOOK_MAX_BYTES = 1024
    response = deliver(hook, {"blob": "x" * 2000})
    assert response.status_code == 413
    assert response.json()["limit"] == 1024
    assert Run.objects.count() == 0


def test_an_unknown_hook_is_a_404_and_a_paused_one_a_409(api_alice, hook):
    unknown = {**hook, "id": "00000000-0000-0000-0000-000000000000"}
    assert deliver(unknown, INVOICE).status_code == 404
    api_alice.patch(f"/api/triggers/{hook['id']}/", {"paused": True}, format="json")
    assert deliver(hook, INVOICE).status_code == 409
    assert Run.objects.count() == 0


def test_a_payload_that_does_not_map_into_the_run_is_a_422(hook):
    response = deliver(hook, {"order": 1})
    assert response.status_code == 422
    assert "invoice" in response.json()["detail"]
    assert deliver(hook, INVOICE).status_code == 202  # the failed delivery id stays usable


def test_rotation_keeps_two_secrets_until_the_old_one_expires(
    api_alice, hook, manual_clock, settings
):
    settings.BATON_WEBHOOK_ROTATION_SECONDS = 3600
    rotated = api_alice.post(f"/api/triggers/{hook['id']}/rotate-secret/").json()
    new = rotated["secret"]
    assert new != hook["secret"]

    assert deliver(hook, INVOICE, delivery="a").status_code == 202  # old secret, in grace
    assert deliver(hook, INVOICE, secret=new, delivery="b").status_code == 202

    manual_clock.advance(3601)
    assert deliver(hook, INVOICE, delivery="c").status_code == 401  # old secret expired
    assert deliver(hook, INVOICE, secret=new, delivery="d").status_code == 202


def test_a_second_rotation_ends_the_oldest_secret_at_once(api_alice, hook):
    first = api_alice.post(f"/api/triggers/{hook['id']}/rotate-secret/").json()["secret"]
    second = api_alice.post(f"/api/triggers/{hook['id']}/rotate-secret/").json()["secret"]
    assert deliver(hook, INVOICE, delivery="a").status_code == 401  # the original
    assert deliver(hook, INVOICE, secret=first, delivery="b").status_code == 202
    assert deliver(hook, INVOICE, secret=second, delivery="c").status_code == 202


def test_only_the_owners_can_rotate_and_nobody_else_sees_the_hook(api_bob, api_charlie, hook):
    assert api_charlie.post(f"/api/triggers/{hook['id']}/rotate-secret/").status_code == 404
    assert api_bob.post(f"/api/triggers/{hook['id']}/rotate-secret/").status_code == 404
