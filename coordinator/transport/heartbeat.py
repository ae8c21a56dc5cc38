"""One heartbeat per process for the sockets of a kind, not one per socket.

Every BATON_WS_HEARTBEAT_SECONDS a single task reads the state of everything this process's
sockets watch (every watched run's last seq, say) in one call, then hands each socket its
key's value. A hundred sockets on one run cost one query a tick, where a timer per socket cost
a hundred, each a trip through the database thread that every socket of the process shares.

Per event loop: the task lives on the loop its sockets run on (one in daphne, one per test),
and ends when its last socket leaves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

Beat = Callable[[Any], Awaitable[None]]


def interval() -> float:
    """Read at every tick, so a changed setting (a test's fast heartbeat) takes effect."""
    return float(getattr(settings, "BATON_WS_HEARTBEAT_SECONDS", 5))


class Heartbeat:
    """`watch(key, beat)`: call `await beat(value)` every tick with `read(keys)[key]`
    (`missing` when the read has no entry for it) until `unwatch(key, beat)`."""

    def __init__(self, read: Callable[[list], Awaitable[dict]], missing: Any = None):
        self._read = read
        self._missing = missing
        self._loops: dict[asyncio.AbstractEventLoop, _Ticker] = {}

    def watch(self, key: Hashable, beat: Beat) -> None:
        loop = asyncio.get_running_loop()
        ticker = self._loops.get(loop)
        if ticker is None or ticker.task.done():
            ticker = self._loops[loop] = _Ticker(self)
        ticker.watchers.setdefault(key, set()).add(beat)

    def unwatch(self, key: Hashable, beat: Beat) -> None:
        ticker = self._loops.get(asyncio.get_running_loop())
        if ticker is None:
            return
        beats = ticker.watchers.get(key)
        if beats is not None:
            beats.discard(beat)
            if not beats:
                del ticker.watchers[key]
        if not ticker.watchers:
            ticker.task.cancel()
            del self._loops[asyncio.get_running_loop()]

    def watched(self) -> int:
        """Sockets watching on the running loop (for tests)."""
        ticker = self._loops.get(asyncio.get_running_loop())
        return sum(len(b) for b in ticker.watchers.values()) if ticker else 0


class _Ticker:
    def __init__(self, heartbeat: Heartbeat):
        self.heartbeat = heartbeat
        self.watchers: dict[Hashable, set[Beat]] = {}
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(interval())
            keys = list(self.watchers)
            if not keys:
                continue
            try:
                values = await self.heartbeat._read(keys)
            except Exception:  # a database blip skips a tick; it must not end the heartbeat
                log.exception("heartbeat read failed")
                continue
            missing = self.heartbeat._missing
            beats = [
                beat(values.get(key, missing))
                for key in keys
                for beat in list(self.watchers.get(key, ()))
            ]
            # Concurrently: one socket's replay must not hold up the others' heartbeats.
            for outcome in await asyncio.gather(*beats, return_exceptions=True):
                if isinstance(outcome, Exception):
                    log.warning("heartbeat of a socket failed: %r", outcome)


def group_by(rows: Iterable[tuple], limit: int) -> dict:
    """{first column: [rest of each row, …]} keeping at most `limit` rows per key, in order."""
    grouped: dict = {}
    for key, *rest in rows:
        kept = grouped.setdefault(key, [])
        if len(kept) < limit:
            kept.append(tuple(rest))
    return grouped
