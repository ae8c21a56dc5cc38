"""Websocket clients for bench/ws_fanout.py, in a process of their own so the benchmark's
figure measures the servers, not the clients sharing a process with the emitter.

    python bench/ws_clients.py URL[,URL…] ORIGIN[,ORIGIN…] CLIENTS FIRST EXPECTED

Connects CLIENTS sockets (client i goes to server (FIRST + i) mod len(URLS), round-robin like
a load balancer), prints `ready` once all are open, then counts the messages of type
`intervention` each receives (up to EXPECTED, or until none came for 15 s) and prints one JSON
line: {"latencies": [seconds from the emit time `data.t` to receipt, …], "counts": [per client]}.
"""

import asyncio
import json
import sys
import time

IDLE_SECONDS = 15


async def client(url, origin, expected, latencies, counts, ready):
    import websockets

    socket, error = None, None
    for attempt in range(5):  # like a browser: retry a refused handshake with backoff
        try:
            socket = await websockets.connect(url, origin=origin, open_timeout=60, max_queue=None)
            break
        except (OSError, websockets.exceptions.WebSocketException, TimeoutError) as exc:
            error = exc
            await asyncio.sleep(0.2 * 2**attempt)
    if socket is None:  # counted as a client that received nothing (every event lost)
        print(f"a client could not connect: {error!r}", file=sys.stderr)
        counts.append(0)
        ready.release()
        return
    received = 0
    async with socket:
        ready.release()
        while received < expected:
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=IDLE_SECONDS)
            except TimeoutError:
                break
            message = json.loads(raw)
            if message.get("type") != "intervention":
                continue
            latencies.append(time.time() - message["data"]["t"])
            received += 1
    counts.append(received)


async def main(urls, origins, clients, first, expected):
    latencies, counts = [], []
    ready = asyncio.Semaphore(0)
    tasks = []
    for index in range(clients):
        server = (first + index) % len(urls)
        tasks.append(
            asyncio.create_task(
                client(urls[server], origins[server], expected, latencies, counts, ready)
            )
        )
        if index % 50 == 49:
            await asyncio.sleep(0.05)  # a gentle connection ramp
    for _ in range(clients):
        await asyncio.wait_for(ready.acquire(), timeout=120)
    print("ready", flush=True)
    await asyncio.gather(*tasks)
    print(json.dumps({"latencies": [round(x, 5) for x in latencies], "counts": counts}), flush=True)


if __name__ == "__main__":
    urls, origins = sys.argv[1].split(","), sys.argv[2].split(",")
    asyncio.run(main(urls, origins, *(int(x) for x in sys.argv[3:6])))
