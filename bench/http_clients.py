"""HTTP load clients for bench/run_creation.py --mode distributed, in a process of their own so
the figure measures the servers, not the client sharing their cores' time with the bench.

    python bench/http_clients.py URL[,URL…] TOKEN[,TOKEN…] CONNECTIONS FIRST

Opens CONNECTIONS keep-alive HTTP/1.1 connections (connection i goes to server
(FIRST + i) mod len(URLS), round-robin like a load balancer, and authenticates with token
(FIRST + i) mod len(TOKENS)), prints `ready`, then reads one command per line on stdin:

    {"method": "POST", "path": "/api/…", "body": {…}, "expect": 202, "until": <unix time>}

Every connection sends that request back to back until `until`, then the process prints one
JSON line: {"ok": n, "bad": {status: n}, "latencies": [seconds, …], "first": t, "last": t}
(`first`/`last`: when the first request went out and the last answer came in). An empty line
or end of input stops it.

The client is a few lines over asyncio streams, not a library: on a small machine the
clients' own CPU time comes out of the servers' share, so it is kept as small as possible.
"""

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


class Connection:
    def __init__(self, url: str, token: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.token = token
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, raw: bytes) -> int:
        """Send one request; the answer's status (its body read and dropped)."""
        if self.writer is None:
            await self.open()
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def encode(self, method: str, path: str, body: dict | None) -> bytes:
        payload = json.dumps(body).encode() if body is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Token {self.token}\r\nAccept: application/json\r\n"
        )
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        return (head + "\r\n").encode() + payload


async def drive(connection: Connection, command: dict, result: dict) -> None:
    raw = connection.encode(command["method"], command["path"], command.get("body"))
    until, expect = command["until"], command["expect"]
    while time.time() < until:
        started = time.time()
        try:
            status = await connection.request(raw)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            connection.close()
            status = type(exc).__name__
        ended = time.time()
        result["first"] = min(result["first"], started)
        result["last"] = max(result["last"], ended)
        if status == expect:
            result["ok"] += 1
            result["latencies"].append(round(ended - started, 5))
        else:
            key = str(status)
            result["bad"][key] = result["bad"].get(key, 0) + 1


async def main(urls: list[str], tokens: list[str], connections: int, first: int) -> None:
    pool = [
        Connection(urls[(first + i) % len(urls)], tokens[(first + i) % len(tokens)])
        for i in range(connections)
    ]
    await asyncio.gather(*(c.open() for c in pool))
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line.strip():
            break
        command = json.loads(line)
        result = {"ok": 0, "bad": {}, "latencies": [], "first": float("inf"), "last": 0.0}
        await asyncio.gather(*(drive(c, command, result) for c in pool))
        print(json.dumps(result), flush=True)
    for connection in pool:
        connection.close()


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1].split(","), sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4]))
    )
