"""Websocket fan-out: N clients watch one run in distributed mode (daphne + channels_redis, its
Pub/Sub layer) while events are emitted at a steady rate, next to the peer in the same
invocation, round for round: a bare Channels + channels_redis app (bench/peers/channels_app.py)
on as many daphnes, with the same clients. Reports emit→receipt latency p50/p99, events lost
and the daphnes' RSS for both. One JSON line; `ratio` (Baton's p99 over the peer's) comes
first.

    python bench/ws_fanout.py [--clients 500] [--rate 10] [--seconds 10] [--servers 2]
                              [--client-processes 2] [--rounds 2] [--sweep 200,500]

The clients run in processes of their own (bench/ws_clients.py), so the figure measures the
servers. Baton's events are emitted with coordinator.transport.events.emit() from this process (stored,
then published, as a Celery worker would), the peer's with a bare group_send; each carries its
emit time, and the clients on the same machine compare it with their receipt time.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def one_round(urls, origins, clients: int, processes: int, emit_all, expected: int):
    """Clients in `processes` processes connect, then `emit_all` runs; their latencies and
    per-client counts come back."""
    shares = [
        clients // processes + (1 if i < clients % processes else 0) for i in range(processes)
    ]
    procs, first = [], 0
    for share in [s for s in shares if s]:
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "bench" / "ws_clients.py"),
                    ",".join(urls),
                    ",".join(origins),
                    str(share),
                    str(first),
                    str(expected),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
        )
        first += share
    try:
        for proc in procs:
            line = proc.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"a client process did not connect (exit {proc.wait()})")
        time.sleep(0.5)
        emit_all()
        latencies, counts = [], []
        for proc in procs:
            result = json.loads(proc.stdout.readline())
            latencies += result["latencies"]
            counts += result["counts"]
            proc.wait(30)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    return latencies, counts


def paced(rate: float, total: int, send) -> None:
    interval = 1 / rate
    start = time.perf_counter()
    for index in range(total):
        send(index)
        delay = start + (index + 1) * interval - time.perf_counter()
        if delay > 0:
            time.sleep(delay)


def figures(latencies: list, counts: list, clients: int, total: int, servers) -> dict:
    from bench import harness

    return {
        "p50_ms": round(harness.pct(latencies, 50) * 1000, 1),
        "p99_ms": round(harness.pct(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "lost": clients * total - sum(counts),
        "server_rss_mb": round(sum(rss_mb(d.process.pid) for d in servers), 1),
    }


def measure(
    clients: int, rate: float, seconds: float, servers: int, processes: int, rounds: int
) -> dict:
    from bench import harness

    env = harness.configure("distributed")
    from asgiref.sync import async_to_sync
    from channels_redis.pubsub import RedisPubSubChannelLayer
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from bench.peers.channels_app import GROUP
    from canvas.plan import Plan
    from coordinator import engine
    from coordinator.transport.events import emit
    from tests.servers import Daphne

    user, canvas = harness.user_and_canvas("fanout")
    token = Token.objects.get_or_create(user=User.objects.get(pk=user.pk))[0].key
    plan = Plan.model_validate(
        {"name": "idle", "steps": [{"id": "w", "type": "wait", "event": "never"}]}
    )
    total = int(rate * seconds)
    server_env = {**os.environ, **env, "BATON_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    batons = [Daphne(server_env) for _ in range(servers)]
    peers = [
        Daphne(
            {**server_env, "BENCH_PEER_REDIS_URL": env["REDIS_URL"], "PYTHONPATH": str(ROOT)},
            app="bench.peers.channels_app:application",
        )
        for _ in range(servers)
    ]
    layer = RedisPubSubChannelLayer(hosts=[env["REDIS_URL"]])

    def peer_send(index: int) -> None:
        text = json.dumps({"type": "intervention", "data": {"t": time.time(), "n": index}})
        async_to_sync(layer.group_send)(GROUP, {"type": "fanout.event", "text": text})

    def peer_round(events: int):
        return one_round(
            [f"ws://127.0.0.1:{d.port}/ws/" for d in peers],
            [d.url for d in peers],
            clients,
            processes,
            lambda: paced(rate, events, peer_send),
            events,
        )

    def baton_round(events: int):
        # A fresh run per round: nothing executes it, the events are emitted by hand and the
        # clients replay nothing old (?after= the run's last event).
        run = engine.start_run(canvas, user=user, plan=plan)
        run.refresh_from_db()

        def send(index: int) -> None:
            emit(run.pk, "intervention", data={"t": time.time(), "n": index})

        return one_round(
            [
                f"ws://127.0.0.1:{d.port}/ws/runs/{run.pk}/?after={run.event_seq}&token={token}"
                for d in batons
            ],
            [d.url for d in batons],
            clients,
            processes,
            lambda: paced(rate, events, send),
            events,
        )

    baton_lat, baton_counts, peer_lat, peer_counts = [], [], [], []
    try:
        peer_round(3)  # warm-up, not counted: first connections, first publishes
        baton_round(3)
        for index in range(rounds):
            # Alternate who goes first, so neither always follows the other's aftermath.
            order = (peer_round, baton_round) if index % 2 == 0 else (baton_round, peer_round)
            for fn in order:
                latencies, counts = fn(total)
                if fn is peer_round:
                    peer_lat += latencies
                    peer_counts += counts
                else:
                    baton_lat += latencies
                    baton_counts += counts
        result = figures(baton_lat, baton_counts, clients * rounds, total, batons)
        result["peer"] = figures(peer_lat, peer_counts, clients * rounds, total, peers)
    finally:
        for server in [*batons, *peers]:
            server.stop()
            if os.environ.get("FANOUT_DEBUG"):
                print("\n".join(server.output), file=sys.stderr)
    return {
        "bench": "ws_fanout",
        "ratio": {"p99": harness.ratio(result["p99_ms"], result["peer"]["p99_ms"])},
        "clients": clients,
        "servers": servers,
        "client_processes": processes,
        "rounds": rounds,
        "events": total,
        "rate_per_s": rate,
        **result,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--servers", type=int, default=2, help="daphne processes of each app")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2, help="peer, Baton, peer, Baton, …")
    parser.add_argument("--sweep", default="", help="comma-separated client counts")
    args = parser.parse_args()
    options = [
        "--rate",
        str(args.rate),
        "--seconds",
        str(args.seconds),
        "--servers",
        str(args.servers),
        "--client-processes",
        str(args.client_processes),
        "--rounds",
        str(args.rounds),
    ]
    if not args.sweep:
        print(
            json.dumps(
                measure(
                    args.clients,
                    args.rate,
                    args.seconds,
                    args.servers,
                    args.client_processes,
                    args.rounds,
                ),
                separators=(",", ":"),
            )
        )
        return
    results = []
    for n in [int(x) for x in args.sweep.split(",")]:
        out = subprocess.run(
            [sys.executable, __file__, "--clients", str(n), *options],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(json.dumps({"bench": "ws_fanout", "sweep": results}, separators=(",", ":")))


if __name__ == "__main__":
    main()
