"""Schedule triggers fire on their cron ticks in their time zone (the embedded scheduler's tick,
driven by a ManualClock); after downtime they start at most one catch-up run, never a burst."""

from datetime import UTC, datetime

import pytest

from coordinator import clock
from coordinator.models import Run
from tests.engine_helpers import embedded_only, wait_for
from tests.triggers.helpers import create_trigger, echo_canvas
from triggers.models import Trigger
from triggers.scheduler import tick

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

MONDAY_7_UTC = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Berlin


@pytest.fixture
def manual_clock():
    with clock.use(clock.ManualClock(MONDAY_7_UTC)) as manual:
        yield manual


def test_a_weekly_schedule_fires_at_nine_in_its_time_zone_once(
    api_alice, alice, engine_settings, manual_clock
):
    canvas = echo_canvas(alice, "weekly-report")
    trigger = create_trigger(
        api_alice,
        canvas,
        kind="schedule",
        cron="0 9 * * MON",
        timezone="Europe/Berlin",
        query="report for {{ payload.scheduled_for[:10] }}",
    )
    assert trigger["next_fire_times"] == [
        "2026-03-02T08:00:00Z",
        "2026-03-09T08:00:00Z",
        "2026-03-16T08:00:00Z",
        "2026-03-23T08:00:00Z",
        "2026-03-30T07:00:00Z",  # summer time in Berlin: still 09:00 there
    ]

    manual_clock.advance(59 * 60)
    assert tick() == []
    manual_clock.advance(60)
    (run,) = tick()
    assert tick() == []  # the same tick never fires twice

    run = wait_for(run)
    assert run.status == "succeeded", run.error
    assert (run.trigger, str(run.source_trigger_id)) == ("schedule", trigger["id"])
    assert run.query == "report for 2026-03-02"
    assert run.created_by == alice
    stored = Trigger.objects.get(pk=trigger["id"])
    assert stored.next_fire_at == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("catch_up, runs", [(True, 1), (False, 0)])
def test_ten_missed_hours_start_at_most_one_catch_up_run(
    api_alice, alice, engine_settings, manual_clock, catch_up, runs
):
    canvas = echo_canvas(alice, "hourly")
    trigger = create_trigger(
        api_alice,
        canvas,
        kind="schedule",
        cron="0 * * * *",
        catch_up=catch_up,
        input={"missed": "{{ payload.missed }}", "catch_up": "{{ payload.catch_up }}"},
    )

    manual_clock.advance(10 * 3600)  # Baton was down from 07:00 to 17:00
    started = tick()

    assert len(started) == runs
    if catch_up:
        assert started[0].input == {"missed": 9, "catch_up": True}
    stored = Trigger.objects.get(pk=trigger["id"])
    assert stored.next_fire_at == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    manual_clock.advance(3600)
    assert len(tick()) == 1  # back on schedule: 18:00 fires normally
    assert Run.objects.filter(source_trigger_id=trigger["id"]).count() == runs + 1


def test_a_paused_schedule_starts_nothing_and_resumes_from_now(
    api_alice, alice, engine_settings, manual_clock
):
    canvas = echo_canvas(alice, "paused")
    trigger = create_trigger(api_alice, canvas, kind="schedule", cron="*/5 * * * *")
    url = f"/api/triggers/{trigger['id']}/"
    assert api_alice.patch(url, {"paused": True}, format="json").status_code == 200

    manual_clock.advance(3600)
    assert tick() == []
    assert api_alice.get(url).json()["next_fire_times"] == []

    resumed = api_alice.patch(url, {"paused": False}, format="json").json()
    assert resumed["next_fire_at"].startswith("2026-03-02T08:05:00")
    assert tick() == []  # the hour it was paused is not replayed
    manual_clock.advance(300)
    assert len(tick()) == 1
