"""Websocket fan-out: N clients watch one run in distributed mode (daphne + channels_redis);
the run emits events at a steady rate. Reports emit→receipt latency p50/p99, events lost,
and daphne's RSS. One JSON line.

    python bench/ws_fanout.py [--clients 500] [--rate 10] [--seconds 10] [--sweep 500,1000,1500]

Events are emitted with coordinator.events.emit() from this process (as a Celery worker
would), each carrying its emit time; clients on the same machine compare it with their
receipt time.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


async def client(url: str, origin: str, expected: int, latencies: list, counts: list, ready, done):
    import websockets

    received = 0
    socket = None
    for attempt in range(5):  # like a browser: retry a refused handshake with backoff
        try:
            socket = await websockets.connect(url, origin=origin, open_timeout=60, max_queue=None)
            break
        except (OSError, websockets.exceptions.InvalidMessage, TimeoutError):
            await asyncio.sleep(0.2 * 2**attempt)
    if socket is None:
        raise RuntimeError("could not connect after 5 attempts")
    async with socket:
        ready.release()
        while received < expected:
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=done)
            except TimeoutError:
                break
            message = json.loads(raw)
            if message.get("type") != "intervention":
                continue
            latencies.append(time.time() - message["data"]["t"])
            received += 1
    counts.append(received)


async def fan_out(urls, origins, clients, emit_all, expected):
    latencies, counts = [], []
    ready = asyncio.Semaphore(0)
    tasks = []
    for index in range(clients):  # round-robin over the servers, like a load balancer
        url, origin = urls[index % len(urls)], origins[index % len(urls)]
        tasks.append(
            asyncio.create_task(client(url, origin, expected, latencies, counts, ready, 15))
        )
        if index % 50 == 49:
            await asyncio.sleep(0.05)  # a gentle connection ramp
    for _ in range(clients):
        await asyncio.wait_for(ready.acquire(), timeout=120)
    await asyncio.sleep(0.5)
    await asyncio.to_thread(emit_all)
    await asyncio.gather(*tasks)
    return latencies, counts


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def measure(clients: int, rate: float, seconds: float, servers: int = 1) -> dict:
    from bench import harness

    env = harness.configure("distributed")
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from canvas.plan import Plan
    from coordinator import engine
    from coordinator.events import emit
    from tests.servers import Daphne

    user, canvas = harness.user_and_canvas("fanout")
    token = Token.objects.get_or_create(user=User.objects.get(pk=user.pk))[0].key
    plan = Plan.model_validate(
        {"name": "idle", "steps": [{"id": "w", "type": "wait", "event": "never"}]}
    )
    run = engine.start_run(canvas, user=user, plan=plan)  # nothing executes it: we emit by hand
    daphnes = [
        Daphne({**os.environ, **env, "BATON_ALLOWED_HOSTS": "127.0.0.1,localhost"})
        for _ in range(servers)
    ]
    total = int(rate * seconds)

    def emit_all():
        interval = 1 / rate
        start = time.perf_counter()
        for index in range(total):
            emit(run.pk, "intervention", data={"t": time.time(), "n": index})
            delay = start + (index + 1) * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)

    try:
        run.refresh_from_db()  # replay nothing old: only the live events are timed
        urls = [
            f"ws://127.0.0.1:{d.port}/ws/runs/{run.pk}/?after={run.event_seq}&token={token}"
            for d in daphnes
        ]
        origins = [d.url for d in daphnes]
        latencies, counts = asyncio.run(fan_out(urls, origins, clients, emit_all, total))
        rss = round(sum(rss_mb(d.process.pid) for d in daphnes), 1)
    finally:
        for server in daphnes:
            server.stop()
            if os.environ.get("FANOUT_DEBUG"):
                print("\n".join(server.output), file=sys.stderr)
    lost = clients * total - sum(counts)
    return {
        "clients": clients,
        "servers": servers,
        "events": total,
        "rate_per_s": rate,
        "p50_ms": round(harness.pct(latencies, 50) * 1000, 1),
        "p99_ms": round(harness.pct(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "lost": lost,
        "server_rss_mb": rss,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--sweep", default="", help="comma-separated client counts")
    parser.add_argument("--servers", type=int, default=1, help="daphne processes (one per core)")
    args = parser.parse_args()
    if not args.sweep:
        print(
            json.dumps(
                {
                    "bench": "ws_fanout",
                    **measure(args.clients, args.rate, args.seconds, args.servers),
                }
            )
        )
        return
    import subprocess

    results = []
    for n in [int(x) for x in args.sweep.split(",")]:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--clients",
                str(n),
                "--rate",
                str(args.rate),
                "--seconds",
                str(args.seconds),
                "--servers",
                str(args.servers),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    under = [r["clients"] for r in results if r["p99_ms"] < 250 and r["lost"] == 0]
    print(
        json.dumps(
            {
                "bench": "ws_fanout",
                "sweep": results,
                "largest_n_p99_under_250ms": max(under, default=None),
            }
        )
    )


if __name__ == "__main__":
    main()
