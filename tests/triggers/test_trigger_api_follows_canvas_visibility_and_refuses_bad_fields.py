"""/api/triggers/: triggers are visible exactly when their canvas is; fields are checked per
kind with a 400 naming the field; the run list filters by the trigger that started a run."""

import pytest

from coordinator import engine
from tests.triggers.helpers import create_trigger, echo_canvas
from triggers.models import Trigger

pytestmark = pytest.mark.django_db


@pytest.fixture
def canvas(alice):
    return echo_canvas(alice, "reports")


def errors(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def post(client, canvas, **fields):
    return client.post(
        "/api/triggers/", {"canvas": str(canvas.pk), "name": "t", **fields}, format="json"
    )


def test_strangers_neither_see_nor_attach_triggers_and_team_members_do(
    api_alice, api_bob, api_charlie, alice, team
):
    shared = echo_canvas(alice, "shared", team=team)
    private = echo_canvas(alice, "private")
    on_shared = create_trigger(api_alice, shared, kind="schedule", cron="0 9 * * *")
    on_private = create_trigger(api_alice, private, kind="schedule", cron="0 9 * * *")

    assert [t["id"] for t in api_bob.get("/api/triggers/").json()["results"]] == [on_shared["id"]]
    assert api_charlie.get(f"/api/triggers/{on_shared['id']}/").status_code == 404
    assert api_bob.get(f"/api/triggers/{on_private['id']}/").status_code == 404
    assert "canvas" in errors(post(api_charlie, private, kind="webhook"))
    edited = api_bob.patch(f"/api/triggers/{on_shared['id']}/", {"name": "b"}, format="json")
    assert edited.status_code == 200
    assert api_bob.delete(f"/api/triggers/{on_shared['id']}/").status_code == 403
    assert api_alice.delete(f"/api/triggers/{on_shared['id']}/").status_code == 204


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"kind": "schedule", "cron": "61 * * * *"}, "cron", "not a valid cron"),
        ({"kind": "schedule", "cron": "0 9 * *"}, "cron", "has 4 fields"),
        ({"kind": "schedule"}, "cron", "needs a cron expression"),
        ({"kind": "schedule", "cron": "0 9 * * *", "timezone": "Mars/Olympus"}, "timezone", "IANA"),
        ({"kind": "event"}, "event", "needs an event name"),
        ({"kind": "event", "event": "run.failed"}, "source_canvas", "needs the canvas"),
        ({"kind": "webhook", "cron": "0 9 * * *"}, "cron", "only schedule triggers"),
        ({"kind": "webhook", "event": "x"}, "event", "only event triggers"),
        ({"kind": "webhook", "input": {"a": "{{ payload. }}"}}, "input.a", ""),
        ({"kind": "webhook", "input": [1]}, "input", "must be an object"),
        ({"kind": "alarm"}, "kind", ""),
    ],
)
def test_bad_fields_are_a_400_naming_the_field(api_alice, canvas, fields, field, words):
    found = errors(post(api_alice, canvas, **fields))
    assert field in found, found
    assert words in found[field]
    assert Trigger.objects.count() == 0


def test_the_kind_and_canvas_of_a_trigger_do_not_change(api_alice, alice, canvas):
    other = echo_canvas(alice, "other")
    trigger = create_trigger(api_alice, canvas, kind="webhook")
    api_alice.patch(
        f"/api/triggers/{trigger['id']}/",
        {"kind": "schedule", "canvas": str(other.pk)},
        format="json",
    )
    stored = Trigger.objects.get(pk=trigger["id"])
    assert (stored.kind, stored.canvas_id) == ("webhook", canvas.pk)


def test_the_preview_lists_the_next_five_fire_times(api_alice):
    response = api_alice.post(
        "/api/triggers/preview/", {"cron": "30 6 * * MON-FRI", "timezone": "UTC"}, format="json"
    )
    assert response.status_code == 200
    times = response.json()["next_fire_times"]
    assert len(times) == 5 and all(t.endswith("06:30:00Z") for t in times)
    assert "cron" in errors(
        api_alice.post("/api/triggers/preview/", {"cron": "nope"}, format="json")
    )


def test_the_run_list_filters_by_trigger(api_alice, alice, canvas):
    trigger = Trigger.objects.create(canvas=canvas, name="t", kind="webhook", owner=alice)
    by_trigger = engine.start_run(canvas, user=alice, source_trigger=trigger, trigger="webhook")
    engine.start_run(canvas, user=alice, query="by hand")

    listed = api_alice.get(f"/api/runs/?trigger={trigger.pk}").json()["results"]
    assert [r["id"] for r in listed] == [str(by_trigger.pk)]
    assert listed[0]["source_trigger"] == str(trigger.pk)
    assert api_alice.get("/api/runs/?trigger=nope").status_code == 400
    runs = api_alice.get(f"/api/triggers/{trigger.pk}/runs/").json()
    assert [r["id"] for r in runs] == [str(by_trigger.pk)]
