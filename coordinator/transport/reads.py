"""`read_trip`: a read-only function run in Channels' database thread, as one trip.

Django's stale-connection cleanup (`close_old_connections`: CONN_MAX_AGE, a connection left
broken; with daphne's pool, handing the connection back) must run where the connection
lives. Channels' database_sync_to_async runs it outside the context its function runs in,
where (asgiref 3.13, Django 5.2) it sees no connection: a no-op. The only cleanup that reached
the database thread was Channels' own hop at every disconnect. A read trip does the cleanup
itself, inside, and skips the `SELECT 1` health check: a read is safe to repeat, so when the
connection turns out to be gone (PostgreSQL restarted, the backend terminated) it closes it
and reads again on another connection — the recovery the check gave, paid only when a
connection has died. A pool may hold several dead connections: one more attempt than it has.
"""

from __future__ import annotations

import functools

from channels.db import database_sync_to_async
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections


def read_trip(func):
    @functools.wraps(func)
    def read(*args, **kwargs):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.in_atomic_block:  # never so in the database thread; a retry would be unsafe
            return func(*args, **kwargs)
        connection.close_if_unusable_or_obsolete()  # past CONN_MAX_AGE, or broken: closed
        connection.health_check_done = True  # no SELECT 1 first; a failure is retried below
        for _ in range(_pooled(connection)):
            try:
                return func(*args, **kwargs)
            except (InterfaceError, OperationalError):
                connection.close()  # a pooled one is discarded, not handed out again
        return func(*args, **kwargs)

    return database_sync_to_async(read)


def _pooled(connection) -> int:
    """How many connections the process's pool may hold (1 with no pool)."""
    pool = (connection.settings_dict.get("OPTIONS") or {}).get("pool")
    return max(1, pool.get("max_size", 1)) if isinstance(pool, dict) else 1
