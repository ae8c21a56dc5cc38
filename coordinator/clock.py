"""The engine's one source of time.

Leases, deadlines, retry delays, timers and approvals due read the time through `now()`
and `monotonic()` here, never from `timezone.now()` or `time` directly, so a test can
install a `ManualClock` and move time forward instead of sleeping. Real waits (a thread
blocking on a future, the expression sandbox's own budget) keep the real clock.

Claim leases and heartbeats are compared across workers, so they are not read here but
written by the database itself: `database_now()` is a query expression, the database's
clock (STATEMENT_TIMESTAMP on PostgreSQL) under the system clock. Workers' clocks may drift
apart; the lease clock cannot. A ManualClock stands in for the database's clock too (its own
time as a literal), so a test that advances it still expires and renews leases.
"""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def database_now(self):
        from django.db.models.functions import Now

        return Now()


class ManualClock:
    """A clock that moves only when told to. Thread-safe; starts at `start` (UTC)."""

    def __init__(self, start: datetime | None = None):
        self._lock = threading.Lock()
        self._now = start or datetime(2026, 1, 1, tzinfo=UTC)
        self._mono = 1_000.0

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def database_now(self):
        from django.db.models import DateTimeField, Value

        return Value(self.now(), output_field=DateTimeField())

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._mono += seconds


_clock: SystemClock | ManualClock = SystemClock()


def now() -> datetime:
    return _clock.now()


def monotonic() -> float:
    return _clock.monotonic()


def database_now():
    """'Now' as the database sees it, for a query (see the module's docstring)."""
    return _clock.database_now()


def database_in(seconds: float):
    """`seconds` after the database's now, for a query (a lease's end)."""
    from django.db.models import DateTimeField, ExpressionWrapper

    return ExpressionWrapper(
        _clock.database_now() + timedelta(seconds=seconds), output_field=DateTimeField()
    )


@contextlib.contextmanager
def use(clock: SystemClock | ManualClock):
    """Install `clock` for the duration of the block (tests)."""
    global _clock
    previous, _clock = _clock, clock
    try:
        yield clock
    finally:
        _clock = previous
