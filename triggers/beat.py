"""Distributed mode: one django-celery-beat PeriodicTask (in the database scheduler) sends
`baton.fire_schedules` every BATON_SCHEDULE_TICK_SECONDS; which triggers are due is decided by
triggers.firing from each trigger's next fire time, so the beat entry never changes when
triggers are added, edited or paused."""

from __future__ import annotations

PERIODIC_TASK_NAME = "baton: fire due schedule triggers"


def ensure_periodic_task() -> None:
    from django.conf import settings
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = int(settings.BATON_SCHEDULE_TICK_SECONDS)
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=every, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.update_or_create(
        name=PERIODIC_TASK_NAME,
        defaults={"task": "baton.fire_schedules", "interval": interval, "enabled": True},
    )


def _after_migrate(sender, **kwargs) -> None:
    if getattr(sender, "name", "") == "triggers":
        ensure_periodic_task()


def connect() -> None:
    from django.db.models.signals import post_migrate

    post_migrate.connect(_after_migrate, dispatch_uid="baton-schedule-beat")
