"""A server process (coordinator/http_handler.py) runs each HTTP request on one of a fixed
set of threads: the request_started signal, the middleware, the view and request_finished
(which gives the thread's database connections back) all on the same thread, with no new
thread per request. Authentication and the middleware's answers are Django's and DRF's as
before; a streamed file is sent whole and closed after it is sent."""

import asyncio
import threading

import pytest
from django.core import signals
from rest_framework.authtoken.models import Token

from coordinator.http_handler import OneHopASGIHandler
from coordinator.sqlite.base import BACKGROUND_THREADS

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 2


def request(handler, path: str, headers=()) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    sent: list[dict] = []
    delivered = False

    async def receive():
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        sent.append(message)

    asyncio.run(handler(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


@pytest.fixture
def handler():
    server = OneHopASGIHandler(threads=THREADS)
    yield server
    server.executor.shutdown()


@pytest.fixture
def seen():
    """(signal, thread) for each request_started and request_finished."""
    log: list[tuple[str, threading.Thread]] = []

    def started(**kwargs):
        log.append(("started", threading.current_thread()))

    def finished(**kwargs):
        log.append(("finished", threading.current_thread()))

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    yield log
    signals.request_started.disconnect(started)
    signals.request_finished.disconnect(finished)


def test_each_request_starts_and_finishes_on_one_of_the_servers_threads(handler, seen, alice):
    token = Token.objects.create(user=alice)
    auth = [(b"authorization", f"Token {token.key}".encode())]
    for _ in range(5):
        status, _ = request(handler, "/api/canvases/", auth)
        assert status == 200
        assert request(handler, "/api/canvases/")[0] == 401  # no credentials
    pairs = list(zip(seen[::2], seen[1::2], strict=True))
    assert len(pairs) == 10
    for (first, start_thread), (second, finish_thread) in pairs:
        assert (first, second) == ("started", "finished")
        assert start_thread is finish_thread
        assert start_thread.name.startswith("http-request")
        assert not start_thread.name.startswith(BACKGROUND_THREADS)  # SQLite: requests first
    assert len({thread for _, thread in seen}) <= THREADS


def test_a_streamed_file_is_sent_whole_and_closed_after_it_is_sent(handler, seen, settings):
    status, body = request(handler, "/favicon.ico")
    assert status == 200
    assert body == (settings.BASE_DIR / "static" / "favicon.ico").read_bytes()
    assert [name for name, _ in seen] == ["started", "finished"]
