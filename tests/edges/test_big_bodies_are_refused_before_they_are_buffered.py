"""Item 3: the body limit is enforced before a body is buffered. The ASGI guard answers an
oversized Content-Length without reading the body and counts a chunked body as it arrives;
a real daphne refuses a 400 MB upload — declared or chunked — while its memory stays flat."""

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from coordinator.body_limit import BodyLimitGuard
from tests.servers import Daphne

MB = 1024 * 1024


class Recorder:
    def __init__(self, messages):
        self.messages = list(messages)
        self.received = 0
        self.sent: list[dict] = []

    async def receive(self):
        self.received += 1
        return self.messages.pop(0) if self.messages else {"type": "http.disconnect"}

    async def send(self, message):
        self.sent.append(message)


async def echo_app(scope, receive, send):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    length = dict(scope["headers"]).get(b"content-length", b"-")
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": length + b" " + body})


def call(headers, messages):
    recorder = Recorder(messages)
    scope = {"type": "http", "method": "POST", "path": "/api/canvases/", "headers": headers}
    asyncio.run(BodyLimitGuard(echo_app)(scope, recorder.receive, recorder.send))
    return recorder


def chunk(size: int, more: bool = True) -> dict:
    return {"type": "http.request", "body": b"x" * size, "more_body": more}


def test_an_oversized_content_length_is_refused_without_reading_the_body(settings):
    recorder = call([(b"content-length", str(400 * MB).encode())], [chunk(MB)])
    assert recorder.sent[0]["status"] == 413
    assert recorder.received == 0


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(settings):
    settings.BATON_MAX_BODY_BYTES = 3 * MB
    recorder = call([], [chunk(MB) for _ in range(400)])
    assert recorder.sent[0]["status"] == 413
    assert recorder.received == 4  # the fourth megabyte crossed the limit; nothing more was read


def test_a_chunked_body_within_the_limit_reaches_the_app_with_its_length(settings):
    recorder = call([], [chunk(3), chunk(4, more=False)])
    assert recorder.sent[0]["status"] == 200
    assert recorder.sent[1]["body"] == b"7 xxxxxxx"


def test_a_content_length_that_is_not_a_number_is_a_400(settings):
    assert call([(b"content-length", b"12abc")], []).sent[0]["status"] == 400


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def upload(port: int, head: bytes, body_chunk: bytes, total: int) -> bytes:
    """Send `head`, then up to `total` bytes of body; return what the server answered."""
    sock = socket.create_connection(("127.0.0.1", port))
    sent = 0
    try:
        sock.sendall(head)
        while sent < total:
            sock.sendall(body_chunk)
            sent += len(body_chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server refused and closed while we were still sending
    try:
        sock.settimeout(30)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    sock.close()
    return answer


@pytest.fixture
def daphne(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(BATON_VAR_DIR=str(tmp_path), BATON_SWEEPER="false", PYTHONPATH=str(Path.cwd()))
    server = Daphne(env)
    yield server
    server.stop()


def test_daphne_refuses_400_mb_uploads_with_flat_memory(daphne):
    pid = daphne.process.pid
    head_common = (
        b"POST /api/canvases/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\n"
    )
    warm = upload(daphne.port, head_common + b"Content-Length: 2\r\n\r\n", b"{}", 2)
    assert warm.startswith(b"HTTP/1.1 401"), warm[:200]  # an ordinary request, served
    before = rss_kb(pid)
    declared = upload(
        daphne.port, head_common + b"Content-Length: %d\r\n\r\n" % (400 * MB), b"x" * MB, 400 * MB
    )
    chunk_line = b"%x\r\n%s\r\n" % (MB, b"x" * MB)
    chunked = upload(
        daphne.port, head_common + b"Transfer-Encoding: chunked\r\n\r\n", chunk_line, 400 * MB
    )
    grown_mb = (rss_kb(pid) - before) / 1024
    print(f"daphne RSS grew {grown_mb:.1f} MB over two 400 MB upload attempts", file=sys.stderr)
    assert declared.startswith(b"HTTP/1.1 413"), declared[:200]
    assert chunked.startswith(b"HTTP/1.1 413"), chunked[:200]
    assert grown_mb < 10
