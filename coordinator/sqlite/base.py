"""Django's SQLite backend, with the writers of one process queued on a Python lock.

SQLite lets one connection write at a time. A connection that finds the database locked
waits in SQLite's busy handler, which sleeps and retries with growing pauses (up to 100 ms
each), so in embedded mode — the web process and the engine's threads sharing one file — a
writer often slept long after the write it waited for had committed. Here every write
transaction (`BEGIN IMMEDIATE` … `COMMIT`/`ROLLBACK`) and every write statement outside one
holds a lock shared by the process's connections to the same file, so a waiting writer wakes
the moment the one before it is done, in the order they came, requests ahead of the engine's
threads (FairLock). Other processes (the CLI, a test server) still meet at SQLite's own lock,
as before. Readers never wait: with WAL they read while one writes.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


#: Threads whose names start so are the engine's own (dispatch's pool, the lease keeper, the
#: sweeper): they write in the background, behind whoever else is waiting.
BACKGROUND_THREADS = "baton-"


def in_background() -> bool:
    return threading.current_thread().name.startswith(BACKGROUND_THREADS)


class FairLock:
    """A lock handed to its waiters in the order they came, a request's thread ahead of the
    engine's: a thread that writes step after step (a chain) cannot take it back before a
    request that was already waiting, and a request (a run's POST) waits at most for the
    write in progress, not for every step queued behind it."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._urgent: collections.deque[threading.Lock] = collections.deque()
        self._background: collections.deque[threading.Lock] = collections.deque()
        self._held = False

    @property
    def _waiters(self) -> list[threading.Lock]:
        return [*self._urgent, *self._background]

    def acquire(self, timeout: float = -1, background: bool = False) -> bool:
        queue = self._background if background else self._urgent
        with self._mutex:
            if not self._held:
                self._held = True
                return True
            waiter = threading.Lock()
            waiter.acquire()
            queue.append(waiter)
        if waiter.acquire(timeout=timeout):
            return True  # release() handed the lock over
        with self._mutex:
            if waiter in queue:
                queue.remove(waiter)
                return False
        return True  # handed over just as the wait ran out: ours all the same

    def release(self) -> None:
        with self._mutex:
            queue = self._urgent or self._background
            if queue:
                queue.popleft().release()  # stays held: now the waiter's
            else:
                self._held = False

    def locked(self) -> bool:
        return self._held


_locks: dict[str, FairLock] = {}
_locks_guard = threading.Lock()


def writer_lock(name: str) -> FairLock:
    """The lock of this process's writers to the database file `name`."""
    with _locks_guard:
        return _locks.setdefault(name, FairLock())


def _fresh_locks_in_child() -> None:
    # A forked child has none of its parent's writers: a lock some other thread held at
    # the fork would never be released there.
    global _locks_guard
    _locks.clear()
    _locks_guard = threading.Lock()


os.register_at_fork(after_in_child=_fresh_locks_in_child)


def is_write(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(_WRITE_VERBS)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.holds_writer_lock = False
        wrapper = self

        class Cursor(base.SQLiteCursorWrapper):
            """A write outside a transaction is a transaction of its own: it queues too."""

            def execute(self, query, params=None):
                with wrapper.own_write(self.connection, query):
                    return super().execute(query, params)

            def executemany(self, query, param_list):
                with wrapper.own_write(self.connection, query):
                    return super().executemany(query, param_list)

        self._cursor_class = Cursor

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=self._cursor_class)

    @contextlib.contextmanager
    def own_write(self, connection, sql: str):
        """Around one statement: the writer lock, when it writes outside any transaction."""
        if not self.queues(connection, sql):
            yield
            return
        self.take_writer_lock()
        try:
            yield
        finally:
            self.release_writer_lock()

    def queues(self, connection, sql: str) -> bool:
        """A statement that writes outside any transaction this connection holds."""
        return not self.holds_writer_lock and not connection.in_transaction and is_write(sql)

    def take_writer_lock(self) -> None:
        # As long as SQLite itself would have waited (its busy timeout), then fail alike.
        seconds = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        lock = writer_lock(str(self.settings_dict["NAME"]))
        if not lock.acquire(timeout=seconds, background=in_background()):
            raise OperationalError("database is locked (by another writer in this process)")
        self.holds_writer_lock = True

    def release_writer_lock(self) -> None:
        if self.holds_writer_lock:
            self.holds_writer_lock = False
            writer_lock(str(self.settings_dict["NAME"])).release()

    def _start_transaction_under_autocommit(self):
        self.take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self.release_writer_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_when_ended()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_when_ended()

    def _release_when_ended(self) -> None:
        # A COMMIT that failed leaves the transaction open: it is still ours until rolled back.
        if self.connection is None or not self.connection.in_transaction:
            self.release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.release_writer_lock()  # closing ends (rolls back) whatever was open
