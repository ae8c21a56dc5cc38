"""Embedded mode's SQLite writer lock serves a request's thread before the engine's queued
writers: a run's POST waits for the write in progress only, not for every step of the runs
already executing (the engine's threads are named baton-…)."""

import threading

from coordinator.sqlite.base import FairLock, in_background
from tests.engine_helpers import wait_until


def writer(lock: FairLock, name: str, order: list) -> threading.Thread:
    def write():
        assert lock.acquire(timeout=60, background=in_background())
        order.append(name)
        lock.release()

    return threading.Thread(target=write, name=name)


def test_a_request_thread_gets_the_lock_before_engine_threads_that_queued_earlier():
    lock, order = FairLock(), []
    assert lock.acquire()
    steps = [writer(lock, f"baton-task_{n}", order) for n in range(3)]
    for count, step in enumerate(steps, start=1):
        step.start()
        wait_until(lambda count=count: len(lock._waiters) == count, what="a step to queue")
    request = writer(lock, "request", order)
    request.start()
    wait_until(lambda: len(lock._waiters) == 4, what="the request to queue")

    lock.release()
    for thread in [*steps, request]:
        thread.join(timeout=60)
    assert order == ["request", "baton-task_0", "baton-task_1", "baton-task_2"]
    assert not lock.locked()


def test_only_the_engines_named_threads_write_in_the_background():
    seen = {}

    def look():
        seen[threading.current_thread().name] = in_background()

    for name in ("baton-task_0", "baton-lease", "baton-sweeper", "MainThread-like", "Thread-7"):
        thread = threading.Thread(target=look, name=name)
        thread.start()
        thread.join()
    assert seen == {
        "baton-task_0": True,
        "baton-lease": True,
        "baton-sweeper": True,
        "MainThread-like": False,
        "Thread-7": False,
    }
