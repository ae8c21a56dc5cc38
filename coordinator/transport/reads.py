"""`read_trip`: a read-only function run in Channels' database thread, as one trip.

Django's stale-connection cleanup (`close_old_connections`: CONN_MAX_AGE, a connection left
broken) must run where the connection lives. Channels' database_sync_to_async runs it
outside the context its function runs in, where (asgiref 3.13, Django 5.2) it sees no
connection: a no-op. The only cleanup that reached the database thread was Channels' own
hop at every disconnect, and its re-armed `SELECT 1` health check then cost the next read a
round trip. A read trip does the cleanup itself, inside, and skips the health check: a read
is safe to repeat, so when the connection turns out to be gone (PostgreSQL restarted, the
backend terminated) it closes it and reads again once, on a fresh connection — the recovery
the check gave, paid only when a connection has died.
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
        try:
            return func(*args, **kwargs)
        except (InterfaceError, OperationalError):
            connection.close()
            return func(*args, **kwargs)

    return database_sync_to_async(read)
