"""Graceful worker shutdown (a deploy's SIGTERM).

On the signal the worker stops claiming new work (no local execution, no sweeping; steps it
would have kept go through the broker to other workers), lets the steps it is executing finish
for up to BATON_SHUTDOWN_GRACE_SECONDS, then hands the claims of those still running back to
the broker so another worker takes them at once, and exits. A shutdown never fails a step.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings

log = logging.getLogger(__name__)


class ProcessExiting(Exception):  # noqa: N818 - a state, not an error of the step
    """This process can no longer start work (the interpreter is exiting). Not a failure of
    the step: its claim is left to expire and another worker runs it."""


_draining = threading.Event()
_started = threading.Lock()


def draining() -> bool:
    return _draining.is_set()


def grace_seconds() -> float:
    return float(getattr(settings, "BATON_SHUTDOWN_GRACE_SECONDS", 30))


def begin(
    held: Callable[[], dict[int, str]],
    hand_over: Callable[[dict[int, str]], int],
    exit_process: bool = True,
) -> threading.Thread | None:
    """Start draining; a (non-daemon) thread waits out the grace period, hands back what is
    left and, with exit_process, ends the process if anything still holds it up. `held` lists
    the claims this process executes and `hand_over` gives them to other workers (the engine's
    lease keeper: passed in, so this leaf module imports nothing of the engine)."""
    if not _started.acquire(blocking=False):
        return None
    _draining.set()
    log.warning("shutting down: no new steps; waiting up to %gs for running ones", grace_seconds())
    thread = threading.Thread(
        target=_drain,
        args=(held, hand_over, exit_process),
        name="baton-shutdown",
        daemon=False,
    )
    thread.start()
    return thread


def _drain(held, hand_over, exit_process: bool) -> None:
    deadline = time.monotonic() + grace_seconds()
    while held() and time.monotonic() < deadline:
        time.sleep(0.1)
    left = held()
    if not left:
        log.warning("shutdown: every running step finished")
        return
    released = hand_over(left)
    log.warning("shutdown: grace period over; handed %d running step(s) to other workers", released)
    if exit_process:
        # Threads still inside agent calls would keep the interpreter alive for as long as
        # the calls hang; their claims are already someone else's.
        logging.shutdown()
        os._exit(0)


def reset_for_tests() -> None:
    _draining.clear()
    if _started.locked():
        _started.release()
