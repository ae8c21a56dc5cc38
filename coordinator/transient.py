"""Database blips are not step failures.

A restarted PostgreSQL, a failover or `pg_terminate_backend` surfaces as OperationalError or
InterfaceError on the next query. Engine work that is safe to repeat (claims, records and
advances are all conditional) goes through `retrying`: the broken connection is dropped and
the work is tried again with exponential backoff, for up to BATON_DB_RETRY_SECONDS.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection

log = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)
T = TypeVar("T")

FIRST_DELAY = 0.05
MAX_DELAY = 2.0


def budget_seconds() -> float:
    return float(getattr(settings, "BATON_DB_RETRY_SECONDS", 60))


def reset_connection() -> None:
    """Drop this thread's connection so the next query opens a fresh one. Inside a
    transaction the caller's atomic block owns the connection; it closes it on rollback."""
    if connection.in_atomic_block:
        return
    with contextlib.suppress(TRANSIENT):
        connection.close()


def retrying(fn: Callable[[], T], what: str, budget: float | None = None) -> T:
    """fn(), repeated with backoff while it fails with a transient database error.
    Raises the last error once the budget is spent. Never used inside a transaction:
    a failed transaction must be retried as a whole by whoever opened it."""
    deadline = time.monotonic() + (budget_seconds() if budget is None else budget)
    delay = FIRST_DELAY
    while True:
        try:
            return fn()
        except TRANSIENT as exc:
            if connection.in_atomic_block or time.monotonic() + delay > deadline:
                raise
            log.warning("%s: database unavailable (%s); retrying in %.2fs", what, exc, delay)
            reset_connection()
            _pause(delay)
            delay = min(delay * 2, MAX_DELAY)


def _pause(seconds: float) -> None:
    threading.Event().wait(seconds)
