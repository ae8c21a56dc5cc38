"""Budget, not timing (both modes): opening and closing a run or canvas socket costs one trip
to the database thread that all of a daphne's sockets share, and a fixed number of SQL
statements, with no `SELECT 1` health check before them. The user (session or token), the
tenancy check and the replay (or snapshot) are read in that one trip.

Measured before, the way daphne runs it (a worker thread, PostgreSQL): a token run socket 5
trips (Channels' session user, the token, the tenancy check, the replay, Channels' cleanup
hop at disconnect) and 3 statements, plus 1 `SELECT 1` without daphne's connection pool; a
session run socket 4 trips, 4 statements. After: 1 trip, the same statements, no health check."""

import collections

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from django.conf import settings
from django.db import connections
from django.db.backends import utils
from django.test import Client

from tests.engine_helpers import make_agent, start, wait_for
from tests.live.ws import communicator, receive_until, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

PLAN = {"name": "one", "steps": [{"id": "a", "type": "agent", "agent": "echo"}]}

# token, visibility, replay | session, user, visibility, replay
STATEMENTS_PER_TOKEN_RUN_SOCKET = 3
STATEMENTS_PER_SESSION_RUN_SOCKET = 4
# token, visibility, active runs (none active here)
STATEMENTS_PER_CANVAS_SOCKET = 3


class Counter:
    """Trips to the database thread, SQL statements and health checks, from any thread."""

    def __init__(self, monkeypatch):
        self.counts = collections.Counter()
        trip, execute = SyncToAsync.__call__, utils.CursorWrapper._execute
        usable = type(connections["default"]).is_usable

        def counted_trip(wrapper, *args, **kwargs):
            self.counts["trips"] += 1
            return trip(wrapper, *args, **kwargs)

        def counted_execute(cursor, sql, *args, **kwargs):
            self.counts["statements"] += 1
            return execute(cursor, sql, *args, **kwargs)

        def counted_health_check(connection):
            self.counts["health checks"] += 1
            return usable(connection)

        monkeypatch.setattr(SyncToAsync, "__call__", counted_trip)
        monkeypatch.setattr(utils.CursorWrapper, "_execute", counted_execute)
        monkeypatch.setattr(type(connections["default"]), "is_usable", counted_health_check)


@pytest.fixture
def finished_run(alice, engine_settings):
    engine_settings.BATON_WS_HEARTBEAT_SECONDS = 3600  # no heartbeat read while counting
    make_agent("echo", "Echoes the query back.")
    return wait_for(start(alice, PLAN, query="hi"))


async def opened_and_replayed(comm, run) -> None:
    connected, code = await comm.connect()
    assert connected, code
    messages = await receive_until(comm, lambda m: m.get("type") == "run.succeeded")
    assert [m["seq"] for m in messages] == list(range(1, run.event_seq + 1))


async def test_a_token_run_socket_opens_in_one_trip_with_no_health_check(
    alice, finished_run, monkeypatch
):
    token = await sync_to_async(token_for)(alice)
    await warm_up(finished_run, token)
    counter = Counter(monkeypatch)
    comm = communicator(f"/ws/runs/{finished_run.pk}/", token=token)
    await opened_and_replayed(comm, finished_run)
    await comm.disconnect()  # closing costs no trip
    assert counter.counts == {"trips": 1, "statements": STATEMENTS_PER_TOKEN_RUN_SOCKET}


async def test_a_session_run_socket_opens_in_one_trip_with_no_health_check(
    alice, finished_run, monkeypatch
):
    cookie = await sync_to_async(session_cookie)(alice)
    await warm_up(finished_run, await sync_to_async(token_for)(alice))
    counter = Counter(monkeypatch)
    comm = communicator(f"/ws/runs/{finished_run.pk}/")
    comm.scope["headers"].append((b"cookie", cookie))
    await opened_and_replayed(comm, finished_run)
    await comm.disconnect()
    assert counter.counts == {"trips": 1, "statements": STATEMENTS_PER_SESSION_RUN_SOCKET}


async def test_a_canvas_socket_opens_in_one_trip_with_no_health_check(
    alice, finished_run, monkeypatch
):
    token = await sync_to_async(token_for)(alice)
    await warm_up(finished_run, token)
    counter = Counter(monkeypatch)
    comm = communicator(f"/ws/canvases/{finished_run.canvas_id}/", token=token)
    connected, code = await comm.connect()
    assert connected, code
    snapshot = await receive_until(comm, lambda m: m["type"] == "snapshot")
    assert snapshot[-1]["runs"] == []  # the run has finished
    await comm.disconnect()
    assert counter.counts == {"trips": 1, "statements": STATEMENTS_PER_CANVAS_SOCKET}


async def test_a_socket_with_no_credential_is_refused_with_no_trip(finished_run, monkeypatch):
    counter = Counter(monkeypatch)
    connected, code = await communicator(f"/ws/runs/{finished_run.pk}/").connect()
    assert (connected, code) == (False, 4401)
    assert counter.counts == {}


async def warm_up(run, token) -> None:
    """One socket first, so the database thread holds its connection and Django its caches:
    what is counted is the steady cost of a connect, not the first one's."""
    comm = communicator(f"/ws/runs/{run.pk}/", token=token)
    await opened_and_replayed(comm, run)
    await comm.disconnect()


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()
