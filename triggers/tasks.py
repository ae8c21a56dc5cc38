"""The beat-driven tick of distributed mode (see triggers.beat)."""

from datetime import datetime

from celery import shared_task

from coordinator.transport.tasks import TASK_OPTIONS
from triggers.firing import fire_due_schedules


@shared_task(name="baton.fire_schedules", **TASK_OPTIONS)
def fire_schedules(now: str | None = None) -> int:
    """Fire due schedule triggers; `now` (ISO 8601) fires up to that time instead of the clock."""
    return len(fire_due_schedules(datetime.fromisoformat(now) if now else None))
