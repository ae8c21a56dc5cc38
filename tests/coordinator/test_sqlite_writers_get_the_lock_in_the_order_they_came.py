"""The writer lock of embedded mode's SQLite backend is handed to waiting writers in the
order they came, so a thread writing step after step cannot take it back ahead of a request
that was already waiting; a writer that gives up waiting leaves the queue."""

import threading

from coordinator.sqlite.base import FairLock
from tests.engine_helpers import wait_until


def queue_behind(lock: FairLock, name: str, order: list) -> threading.Thread:
    def write():
        assert lock.acquire(timeout=60)
        order.append(name)
        lock.release()

    thread = threading.Thread(target=write)
    thread.start()
    return thread


def test_waiting_writers_get_the_lock_first_come_first_served():
    lock, order = FairLock(), []
    assert lock.acquire()
    first = queue_behind(lock, "first", order)
    wait_until(lambda: len(lock._waiters) == 1, what="the first writer to queue")
    second = queue_behind(lock, "second", order)
    wait_until(lambda: len(lock._waiters) == 2, what="the second writer to queue")

    lock.release()
    first.join(timeout=60)
    second.join(timeout=60)
    assert order == ["first", "second"]
    assert not lock.locked()


def test_a_writer_that_stops_waiting_leaves_the_queue():
    lock = FairLock()
    assert lock.acquire()
    assert lock.acquire(timeout=0) is False
    assert len(lock._waiters) == 0
    lock.release()
    assert not lock.locked()
    assert lock.acquire(timeout=0)
