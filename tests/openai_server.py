"""A small OpenAI-compatible HTTP server on loopback, for testing the litellm path.

    with OpenAIServer() as server:
        server.reply('{"answer": 42}', prompt_tokens=12, completion_tokens=3)
        server.stream(["Hel", "lo"])
        server.error(500)
        server.delay(5.0)               # slower than the client's timeout
        model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key="sk-test")
        ...
        assert len(server.requests) == 2
        server.requests[0].body["messages"]

``POST /v1/chat/completions`` (and ``/chat/completions``) serve the queued
behaviours in order; when the queue is empty the server answers HTTP 500 with
"no scripted response left", so a test that sends more requests than it
scripted fails loudly. Every request is recorded (path, headers, parsed body).
The :func:`openai_server` fixture wraps the context manager; register it by
importing it into a test module or a conftest.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Behaviour = Callable[["_Handler", dict], None]


class Headers(dict):
    """Request headers looked up without regard to case, as HTTP defines them."""

    def __init__(self, items):
        super().__init__((name.lower(), value) for name, value in items)

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default=None):
        return super().get(name.lower(), default)


@dataclass
class Request:
    path: str
    headers: Headers
    body: dict = field(default_factory=dict)

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    @property
    def last_user_content(self) -> str:
        users = [m for m in self.messages if m.get("role") == "user"]
        return users[-1]["content"] if users else ""


class OpenAIServer:
    """Context manager: a threaded HTTP server on 127.0.0.1 with scripted replies."""

    def __init__(self, model: str = "test-model") -> None:
        self.model = model
        self.requests: list[Request] = []
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def __enter__(self) -> OpenAIServer:
        server = self

        class Handler(_Handler):
            owner = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="openai-test-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def port(self) -> int:
        assert self._httpd is not None, "the server is not running"
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def v1(self) -> str:
        """The base URL clients use (``…/v1``)."""
        return f"{self.url}/v1"

    # -- scripting

    def add(self, behaviour: Behaviour) -> OpenAIServer:
        with self._lock:
            self._queue.append(behaviour)
        return self

    def reply(
        self,
        content: str,
        *,
        prompt_tokens: int = 11,
        completion_tokens: int = 7,
        usage: bool = True,
    ) -> OpenAIServer:
        """A normal (non-streamed) chat completion with ``content`` and usage."""

        def behaviour(handler: _Handler, body: dict) -> None:
            payload = self._completion(content, prompt_tokens, completion_tokens, usage)
            handler.send_json(200, payload)

        return self.add(behaviour)

    def reply_json(self, data: Any, **kwargs: Any) -> OpenAIServer:
        return self.reply(json.dumps(data), **kwargs)

    def invalid_json(self, content: str = '{"level": "LOW", "reasons": [') -> OpenAIServer:
        """A reply whose content is not valid JSON."""
        return self.reply(content)

    def stream(
        self,
        pieces: list[str],
        *,
        prompt_tokens: int = 11,
        completion_tokens: int = 7,
        usage: bool | None = None,
        pause: float = 0.0,
    ) -> OpenAIServer:
        """A streamed reply (SSE): one chunk per piece, a finish chunk, a usage chunk, [DONE].

        ``usage=None`` sends the usage chunk only when the request asked for it
        (``stream_options.include_usage``), like OpenAI.
        """

        def behaviour(handler: _Handler, body: dict) -> None:
            wants_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            send_usage = wants_usage if usage is None else usage
            handler.start_sse()
            base = {
                "id": "chatcmpl-test",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": self.model,
            }
            for index, piece in enumerate(pieces):
                delta = {"content": piece}
                if index == 0:
                    delta["role"] = "assistant"
                choice = {"index": 0, "delta": delta, "finish_reason": None}
                handler.send_event({**base, "choices": [choice]})
                if pause and self._closing.wait(pause):
                    return
            finish = {"index": 0, "delta": {}, "finish_reason": "stop"}
            handler.send_event({**base, "choices": [finish]})
            if send_usage:
                handler.send_event(
                    {**base, "choices": [], "usage": _usage(prompt_tokens, completion_tokens)}
                )
            handler.send_raw(b"data: [DONE]\n\n")

        return self.add(behaviour)

    def error(self, status: int = 500, message: str = "scripted failure") -> OpenAIServer:
        """An HTTP error with an OpenAI-style error body."""

        def behaviour(handler: _Handler, body: dict) -> None:
            kind = "server_error" if status >= 500 else "invalid_request_error"
            handler.send_json(status, {"error": {"message": message, "type": kind, "code": None}})

        return self.add(behaviour)

    def delay(self, seconds: float, then: str = "too late") -> OpenAIServer:
        """Wait ``seconds`` (longer than the client's timeout) before replying."""

        def behaviour(handler: _Handler, body: dict) -> None:
            if self._closing.wait(seconds):
                return
            handler.send_json(200, self._completion(then, 1, 1, True))

        return self.add(behaviour)

    def reject_response_format(self, status: int = 400) -> OpenAIServer:
        """Answer an error if the request carries ``response_format`` (some servers do)."""

        def behaviour(handler: _Handler, body: dict) -> None:
            if "response_format" in body:
                handler.send_json(
                    status,
                    {
                        "error": {
                            "message": "response_format is not supported",
                            "type": "invalid_request_error",
                            "code": None,
                        }
                    },
                )
            else:  # pragma: no cover - the test queues the follow-up explicitly
                handler.send_json(500, {"error": {"message": "expected response_format"}})

        return self.add(behaviour)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    # -- internals

    def _next(self) -> Behaviour | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    def _completion(self, content: str, prompt: int, completion: int, usage: bool) -> dict:
        payload: dict[str, Any] = {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
        }
        if usage:
            payload["usage"] = _usage(prompt, completion)
        return payload


def _usage(prompt: int, completion: int) -> dict:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAIServer
    server_version = "OpenAITestServer/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {"_raw": raw.decode("utf-8", "replace")}
        path = self.path.split("?", 1)[0].rstrip("/")
        self.owner.requests.append(Request(path, Headers(self.headers.items()), body))
        if path not in ("/v1/chat/completions", "/chat/completions"):
            self.send_json(404, {"error": {"message": f"no route {path}"}})
            return
        behaviour = self.owner._next()
        if behaviour is None:
            self.send_json(500, {"error": {"message": "no scripted response left"}})
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up
            behaviour(self, body)

    def send_json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def send_event(self, payload: dict) -> None:
        self.send_raw(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def send_raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()


def free_port() -> int:
    """A currently free TCP port on loopback (for "connection refused" tests)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server
