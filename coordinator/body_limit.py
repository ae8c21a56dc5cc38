"""The request body limit (BATON_MAX_BODY_BYTES), enforced before a body is buffered.

Two layers, because the server and the application each buffer:

* `BodyLimitGuard`, ASGI middleware around the Django app: a `Content-Length` over the
  limit is answered 413 at once, without reading the body; a body without one (chunked
  transfer encoding) is counted as it arrives and refused the moment it passes the limit.
  A chunked body within the limit is handed to Django with its length, which Django needs
  to read it at all (without one it used to read every chunked body as empty).
* `limit_daphne_bodies()`: daphne (Twisted) receives the whole body before it calls the
  application and then queues all of it in memory, so an ASGI middleware alone cannot keep
  a 400 MB upload out of the server's memory. This hooks Twisted's per-request body
  callbacks in daphne's request class to refuse the same way, as the bytes arrive.

The proxy in front (`client_max_body_size` in docs/deployment.md) stays the first line.
"""

from __future__ import annotations

import json

from django.conf import settings


def _limit() -> int:
    return settings.BATON_MAX_BODY_BYTES


def too_large_body(limit: int) -> bytes:
    return json.dumps(
        {"detail": f"Request body is larger than the limit of {limit} bytes.", "limit": limit}
    ).encode()


async def _answer(send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimitGuard:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = _limit()
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                body = b'{"detail": "Content-Length must be an integer."}'
                return await _answer(send, 400, body)
            if int(declared) > limit:
                return await _answer(send, 413, too_large_body(limit))
            return await self.app(scope, receive, send)
        # No length: count the body as it arrives, keep at most `limit` bytes of it.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return None
            size += len(message.get("body", b""))
            if size > limit:
                return await _answer(send, 413, too_large_body(limit))
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        scope = dict(scope, headers=[*scope["headers"], (b"content-length", b"%d" % len(body))])
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


def limit_daphne_bodies() -> None:
    """Make daphne refuse an oversized body while receiving it (see the module docstring)."""
    from daphne.http_protocol import WebRequest

    if getattr(WebRequest, "baton_body_limit", False):
        return
    got_length = WebRequest.gotLength
    handle_chunk = WebRequest.handleContentChunk
    process = WebRequest.process

    def refuse(request) -> None:
        request.baton_refused = True
        body = too_large_body(_limit())
        transport = request.channel.transport
        transport.write(
            b"HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
        )
        transport.loseConnection()

    def gotLength_(self, length):
        self.baton_received = 0
        self.baton_refused = False
        got_length(self, length if length is None or length <= _limit() else 0)
        if length is not None and length > _limit():
            refuse(self)

    def handleContentChunk_(self, data):
        if self.baton_refused:
            return  # bytes still in flight after the 413: dropped
        self.baton_received += len(data)
        if self.baton_received > _limit():
            refuse(self)
            return
        handle_chunk(self, data)

    def process_(self):
        if getattr(self, "baton_refused", False):
            return None
        return process(self)

    WebRequest.gotLength = gotLength_
    WebRequest.handleContentChunk = handleContentChunk_
    WebRequest.process = process_
    WebRequest.baton_body_limit = True
