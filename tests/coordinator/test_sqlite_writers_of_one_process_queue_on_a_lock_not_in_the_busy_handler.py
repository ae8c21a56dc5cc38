"""Embedded mode (SQLite): a thread that wants to write while another thread of the process
holds a write transaction waits on the process's writer lock and goes on the moment that
transaction ends — it never depends on SQLite's busy handler, which sleeps between retries.
The waiting thread's busy timeout is set to zero, so without the lock its write would fail
at once with "database is locked"."""

import threading

import pytest
from django.db import connection, transaction

from coordinator.models import Run
from coordinator.sqlite import base
from tests.engine_helpers import make_canvas

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="embedded mode's SQLite backend"),
]


class ObservedLock:
    """The real lock, plus a way to see that someone is waiting for it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.waiting = threading.Event()

    def acquire(self, timeout=-1, background=False):
        if self.lock.acquire(blocking=False):
            return True
        self.waiting.set()
        return self.lock.acquire(timeout=timeout)

    def release(self):
        self.lock.release()

    def locked(self):
        return self.lock.locked()


@pytest.fixture
def observed(monkeypatch):
    lock = ObservedLock()
    monkeypatch.setitem(base._locks, str(connection.settings_dict["NAME"]), lock)
    return lock


def writer(run_id, results: list, in_transaction: bool):
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 0")  # SQLite alone would fail at once
        if in_transaction:
            with transaction.atomic():
                Run.objects.filter(pk=run_id).update(query="second")
        else:
            Run.objects.filter(pk=run_id).update(query="second")
        results.append("written")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.append(repr(exc))
    finally:
        connection.close()


@pytest.mark.parametrize("in_transaction", [False, True], ids=["statement", "transaction"])
def test_a_second_writer_waits_for_the_first_and_then_writes(alice, observed, in_transaction):
    run = Run.objects.create(canvas=make_canvas(alice), plan={}, query="first")
    results: list = []
    second = threading.Thread(target=writer, args=(run.pk, results, in_transaction))
    with transaction.atomic():
        Run.objects.filter(pk=run.pk).update(query="first, in a transaction")
        second.start()
        while second.is_alive() and not observed.waiting.wait(timeout=0.01):
            pass
        assert results == []  # without the lock: "database is locked" at once
        assert observed.waiting.is_set()  # queued behind this transaction
    second.join(timeout=60)
    assert results == ["written"]
    run.refresh_from_db()
    assert run.query == "second"
    assert not observed.locked()


def test_a_transaction_that_fails_leaves_no_writer_waiting(alice, observed):
    run = Run.objects.create(canvas=make_canvas(alice), plan={}, query="first")
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        Run.objects.filter(pk=run.pk).update(query="never")
        1 / 0  # noqa: B018
    assert not observed.locked()
    results: list = []
    second = threading.Thread(target=writer, args=(run.pk, results, True))
    second.start()
    second.join(timeout=60)
    assert results == ["written"]
    assert not observed.waiting.is_set()
