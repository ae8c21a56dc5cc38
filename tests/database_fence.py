"""Distributed mode: keeping other processes off the test database while it is flushed.

The Celery workers (and daphne's pool) hold their own connections to the test database and may
still be writing for a test that has ended: a run resumed by the test takes its next steps, the
worker's sweeper sweeps. A transactional test's flush (one TRUNCATE that takes its table locks
one by one) then deadlocks with such a writer; PostgreSQL aborts one of them, and when that is
the flush, the next test starts on the last one's rows. So before each flush the test database
refuses new connections and every other process's session on it is ended (our own workers and
daphnes: there is no one else); the next test opens it again. At the end of the session this
process's other threads' sessions are ended too, before the database is dropped.

Leftover work that retries after the flush finds no rows: the flush keeps the id sequences, so
a stale step id never names a later test's row.
"""

from __future__ import annotations

import os
import time

import psycopg
from django.db import connection, connections
from psycopg import sql

#: how long ended sessions may take to go away (they only have to notice the signal)
GONE_WITHIN_SECONDS = 30

#: the test process's sessions name themselves so (name_own_sessions)
APPLICATION_NAME = f"baton-tests-{os.getpid()}"

_closed: list[DatabaseFence] = []


def name_own_sessions() -> None:
    """Every session this process opens from now on, in any thread, carries APPLICATION_NAME."""
    connections.settings["default"].setdefault("OPTIONS", {})["application_name"] = APPLICATION_NAME


def reopen_closed() -> None:
    """Open the test database again if the last flush closed it."""
    for fence in list(_closed):
        fence.reopen()


class DatabaseFence:
    """Closes and reopens the test database to other sessions. PostgreSQL refuses to close the
    current database, so this speaks through its own connection to the maintenance database."""

    def __init__(self):
        db = connection.settings_dict
        self.name = db["NAME"]
        self.admin = psycopg.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"] or None,
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            autocommit=True,
        )
        self.closed = False

    def _allow_connections(self, allow: bool) -> None:
        quoted = sql.Identifier(self.name)
        self.admin.execute(
            sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
                quoted, sql.SQL("true" if allow else "false")
            )
        )

    def close_to_others(self, everyone: bool = False) -> None:
        """Refuse new sessions, end the others and wait until they are gone. This process's
        own sessions stay unless `everyone`: the flush runs on the default connection, and the
        other threads' sessions are idle between tests but reused without a health check."""
        if connection.connection is None:
            self.reopen()  # the flush needs the connection it keeps
            connection.ensure_connection()
        own = connection.connection.info.backend_pid
        self._allow_connections(False)
        if not self.closed:
            self.closed = True
            _closed.append(self)
        others = """SELECT pid FROM pg_stat_activity
                    WHERE datname = %s AND pid <> %s AND pid <> pg_backend_pid()
                    AND (%s OR application_name <> %s)"""
        params = (self.name, own, everyone, APPLICATION_NAME)
        self.admin.execute(
            """SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE datname = %s AND pid <> %s AND pid <> pg_backend_pid()
               AND (%s OR application_name <> %s)""",
            params,
        )
        deadline = time.monotonic() + GONE_WITHIN_SECONDS
        while self.admin.execute(others, params).fetchall():
            if time.monotonic() > deadline:
                raise RuntimeError(f"sessions on {self.name} did not end after being terminated")
            time.sleep(0.01)

    def reopen(self) -> None:
        if self.closed:
            self._allow_connections(True)
            self.closed = False
            _closed.remove(self)

    def close(self) -> None:
        self.admin.close()
