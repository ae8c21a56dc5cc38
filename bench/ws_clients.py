"""Websocket clients for bench/ws_fanout.py, in a process of their own so the benchmark's
figure measures the servers, not the clients sharing a process with the emitter. One process
serves every round of an invocation, Baton's and the peer's alike, so both face the very same
clients.

    python bench/ws_clients.py

Reads one JSON command a line on stdin:
``{"urls": [...], "origins": [...], "clients": N, "first": F, "expected": E}``.
It connects N sockets (client i goes to server (F + i) mod len(urls), round-robin like a load
balancer), prints ``ready`` once all are open, then counts the messages of type
``intervention`` each receives (up to E, or until none came for 15 s), closes them and prints
one JSON line: ``{"latencies": [[event number data.n, seconds from its emit time data.t to
receipt], …], "counts": [per client], "disorder": [per client: events received out of order or
twice], "other": messages of other types (heartbeats), "refused": handshakes that failed and
were retried}`` (the last two for all its clients together).
Then it waits for the next command; end of input ends it.
"""

import asyncio
import json
import sys
import time

import websockets

IDLE_SECONDS = 15
CONNECT_ATTEMPTS = 10
#: sockets opened per second by one process: a crowd arriving, not all in the same instant
RAMP_PER_SECOND = 100


async def client(url, origin, expected, out, ready):
    socket, error = None, None
    for attempt in range(CONNECT_ATTEMPTS):  # like a browser: retry with backoff
        try:
            socket = await websockets.connect(url, origin=origin, open_timeout=60, max_queue=None)
            break
        except (OSError, websockets.exceptions.WebSocketException, TimeoutError) as exc:
            # daphne refuses a handshake its application has not accepted within 5 s: a
            # server too busy to take connections shows here, not as slow delivery.
            error = exc
            out["refused"] += 1
            await asyncio.sleep(min(0.2 * 2**attempt, 2.0))
    if socket is None:  # counted as a client that received nothing (every event lost)
        print(f"a client could not connect: {error!r}", file=sys.stderr)
        out["counts"].append(0)
        out["disorder"].append(0)
        ready.release()
        return
    received, disorder, last = 0, 0, -1
    async with socket:
        ready.release()
        while received < expected:
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=IDLE_SECONDS)
            except (TimeoutError, websockets.exceptions.ConnectionClosed) as exc:
                # Said on stderr, so a lost event has a cause in the bench's output.
                print(f"a client stopped at {received}/{expected}: {exc!r}", file=sys.stderr)
                break
            now = time.time()
            if '"intervention"' not in raw:  # heartbeats and the like: not parsed at all
                out["other"] += 1
                continue
            message = json.loads(raw)
            if message.get("type") != "intervention":
                continue
            data = message["data"]
            out["latencies"].append((data["n"], round(now - data["t"], 5)))
            # Events are numbered 0, 1, 2, … in emit order: anything else is a repeat or a
            # reordering (a gap shows up as a lost event instead).
            if data["n"] <= last:
                disorder += 1
            last = max(last, data["n"])
            received += 1
    out["counts"].append(received)
    out["disorder"].append(disorder)


async def one_round(command: dict) -> dict:
    urls, origins = command["urls"], command["origins"]
    out = {"latencies": [], "counts": [], "disorder": [], "other": 0, "refused": 0}
    ready = asyncio.Semaphore(0)
    tasks = []
    for index in range(command["clients"]):
        server = (command["first"] + index) % len(urls)
        tasks.append(
            asyncio.create_task(
                client(urls[server], origins[server], command["expected"], out, ready)
            )
        )
        if index % 10 == 9:
            await asyncio.sleep(10 / RAMP_PER_SECOND)
    for _ in tasks:
        await asyncio.wait_for(ready.acquire(), timeout=120)
    print("ready", flush=True)
    await asyncio.gather(*tasks)
    return out


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            result = asyncio.run(one_round(json.loads(line)))
            print(json.dumps(result, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
