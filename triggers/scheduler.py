"""The embedded-mode scheduler: a thread in the web process that fires due schedule triggers.
In distributed mode Celery beat's database scheduler sends the same tick (triggers.beat)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections

from triggers.firing import fire_due_schedules

log = logging.getLogger(__name__)
_started = threading.Event()


def tick() -> list:
    """One pass: fire every schedule trigger due now (the engine clock)."""
    return fire_due_schedules()


def start_scheduler() -> None:
    if _started.is_set():
        return
    _started.set()
    every = float(settings.BATON_SCHEDULE_TICK_SECONDS)

    def loop():
        while True:
            threading.Event().wait(every)
            if not settings.BATON_SCHEDULER:
                continue  # switched off at run time (the test suite does this)
            try:
                close_old_connections()
                tick()
            except Exception:
                log.exception("schedule tick failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, daemon=True, name="baton-scheduler").start()
