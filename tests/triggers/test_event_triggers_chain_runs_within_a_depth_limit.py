"""Event triggers: a named event posted to /api/events/ starts every subscribed canvas the
poster can see; run.succeeded / run.failed of canvas X starts the canvases that follow X, one
level deeper each time, so A → B → A stops at BATON_TRIGGER_CHAIN_LIMIT (recorded on the runs)."""

import pytest

from coordinator import engine
from coordinator.models import Run
from tests.engine_helpers import embedded_only, events, make_agent, make_plan_canvas, wait_for
from tests.engine_helpers import wait_until as until
from tests.triggers.helpers import create_trigger, echo_canvas

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


def test_a_ping_pong_chain_stops_at_the_depth_limit(api_alice, alice, engine_settings):
    engine_settings.BATON_TRIGGER_CHAIN_LIMIT = 2
    ping = echo_canvas(alice, "ping")
    pong = echo_canvas(alice, "pong")
    to_pong = create_trigger(
        api_alice,
        pong,
        kind="event",
        event="run.succeeded",
        source_canvas=str(ping.pk),
        query="after {{ payload.run.canvas }}: {{ payload.run.answer }}",
    )
    create_trigger(api_alice, ping, kind="event", event="run.succeeded", source_canvas=str(pong.pk))

    first = wait_for(engine.start_run(ping, user=alice, query="serve"))

    chain = until(
        lambda: (
            runs
            if len(runs := list(Run.objects.order_by("created"))) == 3
            and all(r.status == "succeeded" for r in runs)
            and events(runs[-1], "trigger.refused")
            else None
        ),
        what="three runs and a refusal",
    )
    assert [(r.canvas.slug, r.chain_depth, r.trigger) for r in chain] == [
        ("ping", 0, "manual"),
        ("pong", 1, "event"),
        ("ping", 2, "event"),
    ]
    assert chain[0] == first
    assert str(chain[1].source_trigger_id) == to_pong["id"]
    assert chain[1].query == "after ping: echo: serve"
    (refusal,) = events(chain[2], "trigger.refused")
    assert refusal.data["chain_depth"] == 2
    assert "chain depth limit of 2" in refusal.data["reason"]


def test_run_failed_triggers_start_only_when_the_run_fails(api_alice, alice, engine_settings):
    make_agent("failing", "Always fails.")
    source = make_plan_canvas(
        alice, "fragile", {"name": "f", "steps": [{"id": "a", "type": "agent", "agent": "failing"}]}
    )
    alerts = echo_canvas(alice, "alerts")
    create_trigger(
        api_alice,
        alerts,
        kind="event",
        event="run.failed",
        source_canvas=str(source.pk),
        query="{{ payload.run.canvas }} failed",
    )
    create_trigger(
        api_alice, alerts, kind="event", event="run.succeeded", source_canvas=str(source.pk)
    )

    failed = wait_for(engine.start_run(source, user=alice, query="go"))
    assert failed.status == "failed"
    alert = until(lambda: Run.objects.filter(canvas=alerts).first(), what="the alert run")
    assert alert.query == "fragile failed"
    assert wait_for(alert).status == "succeeded"
    assert Run.objects.filter(canvas=alerts).count() == 1


def test_a_posted_event_starts_the_subscribed_canvases_the_poster_can_see(
    api_alice, api_charlie, alice, engine_settings
):
    billing = echo_canvas(alice, "billing")
    create_trigger(
        api_alice,
        billing,
        kind="event",
        event="invoice.paid",
        input={"id": "{{ payload.data.id }}"},
    )

    ignored = api_charlie.post(
        "/api/events/", {"name": "invoice.paid", "payload": {"id": 1}}, format="json"
    )
    assert (ignored.status_code, ignored.json()["runs"]) == (202, [])

    response = api_alice.post(
        "/api/events/", {"name": "invoice.paid", "payload": {"id": 7}}, format="json"
    )
    assert response.status_code == 202
    (started,) = response.json()["runs"]
    run = wait_for(Run.objects.get(pk=started["id"]))
    assert (run.input, run.trigger, run.status) == ({"id": 7}, "event", "succeeded")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "run.succeeded"}, "name"),
        ({"name": "has spaces"}, "name"),
        ({}, "name"),
    ],
)
def test_a_bad_event_is_a_400_naming_the_field(api_alice, body, field):
    response = api_alice.post("/api/events/", body, format="json")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {field}


def test_posting_events_needs_a_signed_in_user(api_anon):
    assert api_anon.post("/api/events/", {"name": "x"}, format="json").status_code in (401, 403)
