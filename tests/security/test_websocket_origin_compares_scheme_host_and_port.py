"""A websocket is accepted only from a trusted origin or the exact origin it was opened
on: scheme, host AND port. Another port on the same host is another site."""

import time

import pytest
from asgiref.sync import sync_to_async

from tests.engine_helpers import make_canvas
from tests.live.ws import communicator, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def connect(alice, origin: bytes, host: bytes | None = None):
    canvas = await sync_to_async(make_canvas)(alice, slug=f"c-{time.monotonic_ns()}")
    token = await sync_to_async(token_for)(alice)
    comm = communicator(f"/ws/canvases/{canvas.pk}/", token=token, origin=(b"origin", origin))
    if host:
        comm.scope["headers"].append((b"host", host))
    connected, _ = await comm.connect()
    await comm.disconnect()
    return connected


@pytest.mark.parametrize(
    "origin",
    [b"http://127.0.0.1:9999", b"https://127.0.0.1:8000", b"http://127.0.0.1", b"null"],
)
async def test_the_same_host_on_another_port_or_scheme_is_refused(alice, origin):
    assert not await connect(alice, origin)


async def test_a_trusted_origin_is_accepted(alice):
    assert await connect(alice, b"http://127.0.0.1:8000")


async def test_the_origin_the_socket_was_opened_on_is_accepted(alice):
    assert await connect(alice, b"http://localhost:8123", host=b"localhost:8123")
    assert not await connect(alice, b"http://localhost:8124", host=b"localhost:8123")
