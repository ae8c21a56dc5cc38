"""Distributed mode: django-celery-beat's database scheduler holds one entry that sends
`baton.fire_schedules`; a real Celery worker running it fires the due schedule triggers —
once per tick, and after downtime one catch-up run, not a burst."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from coordinator import clock
from coordinator.celery import app
from coordinator.models import Run
from tests.engine_helpers import wait_for, wait_until
from tests.triggers.helpers import create_trigger, echo_canvas
from triggers.beat import PERIODIC_TASK_NAME, ensure_periodic_task
from triggers.firing import fire_due_schedules
from triggers.tasks import fire_schedules

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

MONDAY_7_UTC = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def test_the_database_scheduler_sends_the_schedule_tick():
    from django_celery_beat.schedulers import DatabaseScheduler

    ensure_periodic_task()  # what `migrate` does (post_migrate); idempotent
    ensure_periodic_task()
    entries = DatabaseScheduler(app=app, lazy=True).all_as_schedule()

    tick = entries[PERIODIC_TASK_NAME]
    assert tick.task == "baton.fire_schedules"
    assert tick.schedule.run_every == timedelta(seconds=settings.BATON_SCHEDULE_TICK_SECONDS)


def test_a_worker_fires_due_triggers_once_and_catches_up_once(api_alice, alice, engine_settings):
    with clock.use(clock.ManualClock(MONDAY_7_UTC)):
        canvas = echo_canvas(alice, "hourly")
        trigger = create_trigger(
            api_alice,
            canvas,
            kind="schedule",
            cron="0 * * * *",
            input={"missed": "{{ payload.missed }}"},
        )
    five_hours_later = (MONDAY_7_UTC + timedelta(hours=5)).isoformat()

    fire_schedules.delay(five_hours_later)  # what beat sends, at the manual clock's time
    run = wait_until(lambda: Run.objects.filter(source_trigger_id=trigger["id"]).first())
    assert wait_for(run).status == "succeeded", run.error
    assert run.input == {"missed": 4}

    # a duplicate of that tick (here, in this process) finds nothing due
    assert fire_due_schedules(MONDAY_7_UTC + timedelta(hours=5)) == []
    fire_schedules.delay((MONDAY_7_UTC + timedelta(hours=6)).isoformat())
    second = wait_until(
        lambda: Run.objects.filter(source_trigger_id=trigger["id"]).exclude(pk=run.pk).first()
    )
    assert wait_for(second).status == "succeeded"
    assert Run.objects.filter(source_trigger_id=trigger["id"]).count() == 2
