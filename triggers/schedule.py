"""When a cron trigger fires. Pure functions over (cron, time zone, times); no database.

A tick is due when its time has come. After downtime several ticks may be overdue: they are
never replayed in a burst — at most one catch-up run (when the trigger allows it) stands
for all of them, and the next fire time moves to the first tick after now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from croniter import CroniterBadCronError, croniter

MAX_CRON_LENGTH = 100


class ScheduleError(ValueError):
    """A cron expression or time zone Baton cannot schedule; the message says why."""


def zone(name: str) -> ZoneInfo:
    if name not in _zones():
        raise ScheduleError(f"unknown time zone {name!r}; use an IANA name such as Europe/Berlin")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - listed but unreadable
        raise ScheduleError(f"unknown time zone {name!r}") from None


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    return _ZONES


def check_cron(cron: str) -> str:
    """The expression, normalised, or ScheduleError. Five fields; names (MON, JAN) allowed."""
    text = " ".join((cron or "").split())
    if not text:
        raise ScheduleError("a schedule needs a cron expression, e.g. '0 9 * * MON'")
    if len(text) > MAX_CRON_LENGTH:
        raise ScheduleError(f"a cron expression is at most {MAX_CRON_LENGTH} characters")
    if len(text.split()) != 5:
        raise ScheduleError(
            f"{text!r} has {len(text.split())} fields; write five: minute hour day-of-month "
            "month day-of-week, e.g. '0 9 * * MON'"
        )
    try:
        croniter(text)
    except (CroniterBadCronError, ValueError, KeyError) as exc:
        raise ScheduleError(f"{text!r} is not a valid cron expression: {exc}") from None
    return text


def fire_times(cron: str, tz: str, after: datetime, count: int = 5) -> list[datetime]:
    """The next `count` fire times strictly after `after`, in UTC."""
    it = croniter(check_cron(cron), after.astimezone(zone(tz)))
    return [it.get_next(datetime).astimezone(UTC) for _ in range(count)]


def next_fire(cron: str, tz: str, after: datetime) -> datetime:
    return fire_times(cron, tz, after, 1)[0]


@dataclass(frozen=True)
class Decision:
    fire: bool  # start a run now
    missed: int  # ticks that passed without a run (downtime), not counting the one fired
    next_fire_at: datetime
    catch_up: bool  # the run started stands for ticks missed during downtime


MISSED_COUNT_LIMIT = 1000  # counting further would only cost time: "1000+" ticks missed


def decide(cron: str, tz: str, due: datetime, now: datetime, *, catch_up: bool) -> Decision:
    """What to do with a trigger whose next fire time `due` has come (due <= now).

    On time (no later tick has also passed): fire. Late by more than one tick (downtime):
    one catch-up run when `catch_up`, none otherwise; the ticks between are counted, never
    run. Either way the next fire time is the first tick after `now`."""
    it = croniter(check_cron(cron), due.astimezone(zone(tz)))
    following = it.get_next(datetime).astimezone(UTC)
    if following > now:
        return Decision(True, 0, following, False)
    late = 1  # ticks after `due` that have also passed
    while late < MISSED_COUNT_LIMIT and it.get_next(datetime).astimezone(UTC) <= now:
        late += 1
    upcoming = next_fire(cron, tz, now)
    return Decision(catch_up, late if catch_up else late + 1, upcoming, catch_up)
