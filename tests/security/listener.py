"""A loopback HTTP listener standing in for an attacker's (or an agent's) host: it records
every request and answers JSON, or a redirect. Tests never leave 127.0.0.0/8."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Listener:
    def __init__(self, host: str = "127.0.0.1", reply: dict | None = None, redirect: str = ""):
        self.requests: list[dict] = []
        self.reply = reply if reply is not None else {"answer": "from the listener"}
        self.redirect = redirect
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                listener.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                if listener.redirect:
                    self.send_response(302)
                    self.send_header("Location", listener.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = json.dumps(listener.reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, host: str = "127.0.0.1", path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class StubResolver:
    """DNS for tests: host → a list of answers, one list per lookup (the last repeats)."""

    def __init__(self, answers: dict[str, list[list[str]] | list[str]]):
        self.answers = {
            host: value if value and isinstance(value[0], list) else [value]
            for host, value in answers.items()
        }
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        replies = self.answers.get(host)
        if replies is None:
            raise OSError(f"stub resolver: no answer for {host}")
        index = min(self.lookups.count(host) - 1, len(replies) - 1)
        return replies[index]
