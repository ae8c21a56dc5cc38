"""The one place that knows the mode (docs/architecture.md): Celery in distributed mode, an
in-process thread pool in embedded mode. Work is enqueued after the transaction commits.

A leaf: it imports nothing of the engine. Tasks are looked up in an explicit registry that
transport/tasks.py fills when it is imported (the coordinator app's ready() imports it, so
every process that can send has the tasks registered).

Sending never fails the caller: the database is the source of truth, so a message the broker
refuses (Redis restarting) or a pool that refuses work (the interpreter exiting) is logged and
left to the sweeper, which re-sends expired claims and nudges queued and active runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction

from coordinator import shutdown

log = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None
_tasks: dict[str, Any] = {}
_here: dict[str, Any] = {}


def register(name: str, task, here=None) -> None:
    """Make `task` (a Celery task) sendable as `name` (transport/tasks.py). `here(*args,
    held)`, when given, does the task's work on this process's threads with what the sender
    handed over in memory (`enqueue(..., held=)`); a message through the broker carries the
    args alone."""
    _tasks[name] = task
    if here is not None:
        _here[name] = here


def registered(name: str):
    try:
        return _tasks[name]
    except KeyError:
        raise LookupError(
            f"no task registered as {name!r} (is coordinator.transport.tasks imported?)"
        ) from None


_pool_lock = threading.Lock()


def is_distributed() -> bool:
    return bool(settings.DISTRIBUTED)


def enqueue(task_name: str, *args, countdown: float | None = None, held=None) -> None:
    """Run the task registered as `task_name` with *args once the current transaction commits.
    `held` goes to the task's `here` (see register) when the work stays in this process."""
    transaction.on_commit(lambda: _send_safely(task_name, args, countdown, held))


def send_now(task_name: str, *args) -> None:
    """Send at once, outside any transaction (handing work over at shutdown)."""
    _send_safely(task_name, args, None)


def _send_safely(task_name: str, args: tuple, countdown: float | None, held=None) -> None:
    try:
        _send(task_name, args, countdown, held=held)
    except Exception as exc:  # noqa: BLE001 - the sweeper repairs whatever was not sent
        log.warning("could not send %s%r (%s); the sweeper will pick it up", task_name, args, exc)


_local_slots: threading.BoundedSemaphore | None = None


# Sent from a worker, these run on its own threads when a slot is free (see below).
LOCAL_TASKS = frozenset({"execute_step", "advance"})


def enable_local_execution(slots: int) -> None:
    """In a Celery worker: steps this worker claims, and runs it advances, run on its own
    threads while it has free slots, instead of a round trip through the broker (eager
    execution). Claims are leased as usual and the database holds every run's state, so if
    this process dies the sweeper re-dispatches the steps and nudges the runs."""
    global _local_slots
    _local_slots = threading.BoundedSemaphore(slots) if slots > 0 else None


def _send(task_name: str, args: tuple, countdown: float | None, held=None) -> None:
    task = registered(task_name)
    work = _work(task_name, task, args, held)
    if is_distributed():
        slots = _local_slots
        if (
            task_name in LOCAL_TASKS
            and not countdown
            and slots
            and not shutdown.draining()  # a worker going away takes on nothing new
            and slots.acquire(blocking=False)
        ):
            try:
                _executor().submit(_run_local, work, slots)
                return
            except RuntimeError:  # the interpreter is exiting: the broker takes it instead
                slots.release()
        task.apply_async(args=args, countdown=countdown)
        return
    if countdown and countdown > 0:
        timer = threading.Timer(countdown, _submit, args=(work,))
        timer.daemon = True
        timer.start()
    else:
        _submit(work)


def _work(task_name: str, task, args: tuple, held) -> tuple[str, Callable[[], object]]:
    """What runs on this process's threads: the task's `here` with what was handed over, or
    the task itself (with a name for the log)."""
    here = _here.get(task_name) if held is not None else None
    if here is not None:
        return f"{task.name}{args!r}", lambda: here(*args, held)
    return f"{task.name}{args!r}", lambda: task.run(*args)


def _submit(work) -> None:
    _executor().submit(_run_embedded, work)


def _run_local(work, slots: threading.BoundedSemaphore) -> None:
    try:
        _run_embedded(work)
    finally:
        slots.release()


def _run_embedded(work) -> None:
    name, run = work
    close_old_connections()
    try:
        run()
    except Exception:
        log.exception("embedded task %s failed", name)
    finally:
        close_old_connections()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.BATON_EMBEDDED_WORKERS, thread_name_prefix="baton-task"
            )
        return _pool
