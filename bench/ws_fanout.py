"""Websocket fan-out: N clients watch one run in distributed mode (daphne + channels_redis, its
Pub/Sub layer) while events are emitted at a steady rate, next to the peer in the same
invocation: a bare Channels + channels_redis app (bench/peers/channels_app.py) on as many
daphnes, with the same clients.

    python bench/ws_fanout.py [--clients 200] [--rate 10] [--seconds 5] [--servers 2]
                              [--client-processes 2] [--rounds 5] [--sweep 200,500]
                              [--profile DIR]

How a figure is made trustworthy on a busy machine:
* rounds are interleaved — peer, Baton, Baton, peer, peer, Baton, … (who goes first
  alternates) — after one warm-up round of each that is not counted;
* the same client processes (bench/ws_clients.py) serve every round of both apps, so both
  face the very same clients; each round connects its sockets afresh;
* the headline is the **median of the per-round ratios** (Baton's p99 over the peer's p99 of
  the round next to it), with their spread; a machine-wide hiccup moves one round, not the
  median;
* latency is counted from the moment the event is handed to the channel layer: the peer's
  publish, Baton's commit (emit() stores the event, then broadcasts it after commit). What
  storing adds is reported apart (`store_p99_ms`, and `end_to_end_p99_ms` from before the
  store), since it is the database's work, not the fan-out's;
* each round also reports the servers' CPU time per delivered event (from /proc, so nearly
  insensitive to other load) and the busiest client process's share of a core: when the
  clients near a full core they, not the servers, set the latency and the figure says so
  (`clients_saturated`).
Clients open their sockets 100 a second per process and retry a refused handshake like a
browser (`refused_handshakes` counts them). Every event must reach every client once and in
order (Baton's `lost` and `disorder` are 0, or the benchmark exits with an error after
printing its figures).

Baton's events are emitted with coordinator.transport.events.emit() from this process (stored,
then published after commit, as a Celery worker would); the peer's with a bare group_send on a
long-lived loop. Each carries its number and emit time; the clients on the same machine
compare it with their receipt time. With --profile, py-spy records one daphne of each app over
the measured rounds (collapsed stacks, for flamegraph.pl or speedscope).
"""

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
#: a client process busier than this share of one core is itself a bottleneck
CLIENT_SATURATION = 0.7


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Clients:
    """Long-lived client processes (bench/ws_clients.py), shared by every round of both apps."""

    def __init__(self, processes: int):
        self.procs = [
            subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "ws_clients.py")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]

    def round(self, urls, origins, clients: int, expected: int, emit_all, servers) -> dict:
        """Clients connect, then `emit_all` runs; the round's figures come back, with
        `latencies` as [event number, seconds from its emit time to receipt] pairs."""
        n = len(self.procs)
        shares = [clients // n + (1 if i < clients % n else 0) for i in range(n)]
        busy, first = [], 0
        for proc, share in zip(self.procs, shares, strict=True):
            if share:
                command = {
                    "urls": urls,
                    "origins": origins,
                    "clients": share,
                    "first": first,
                    "expected": expected,
                }
                proc.stdin.write(json.dumps(command) + "\n")
                proc.stdin.flush()
                busy.append(proc)
            first += share
        for proc in busy:
            line = proc.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"a client process did not connect (exit {proc.poll()})")
        time.sleep(0.5)  # let the connections' own work (auth, replay) settle
        server_pids = [s.process.pid for s in servers]
        cpu_before = {pid: cpu_seconds(pid) for pid in [*server_pids, *(p.pid for p in busy)]}
        started = time.perf_counter()
        emit_all()
        latencies, counts, disorder, other, refused = [], [], [], 0, 0
        for proc in busy:
            result = json.loads(proc.stdout.readline())
            latencies += result["latencies"]
            counts += result["counts"]
            disorder += result["disorder"]
            other += result["other"]
            refused += result["refused"]
        wall = time.perf_counter() - started
        used = {pid: cpu_seconds(pid) - before for pid, before in cpu_before.items()}
        delivered = sum(counts)
        return {
            "latencies": latencies,
            "lost": clients * expected - delivered,
            "disorder": sum(disorder),
            "clients_short": sum(1 for c in counts if c < expected),
            "other_messages": other,
            "refused_handshakes": refused,
            "server_cpu_us_per_event": round(
                sum(used[pid] for pid in server_pids) / max(delivered, 1) * 1e6, 1
            ),
            "client_core_share": round(max(used[p.pid] for p in busy) / wall, 2),
            "server_rss_mb": round(sum(rss_mb(pid) for pid in server_pids), 1),
        }

    def close(self) -> None:
        for proc in self.procs:
            proc.stdin.close()
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def paced(rate: float, total: int, send) -> None:
    interval = 1 / rate
    start = time.perf_counter()
    for index in range(total):
        send(index)
        delay = start + (index + 1) * interval - time.perf_counter()
        if delay > 0:
            time.sleep(delay)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def round_figures(result: dict, stored: dict[int, float] | None = None) -> dict:
    """Latency from the hand-over to the layer; `stored` (Baton's) maps an event's number to
    the seconds its store took before that hand-over."""
    from bench import harness

    pairs = result.pop("latencies")
    figures = {}
    if stored is not None:
        end_to_end = [latency for _, latency in pairs]
        store = list(stored.values())
        figures = {
            "end_to_end_p99_ms": ms(harness.pct(end_to_end, 99)),
            "store_p99_ms": ms(harness.pct(store, 99)),
        }
    delivery = [latency - (stored or {}).get(n, 0.0) for n, latency in pairs]
    return {
        "p50_ms": ms(harness.pct(delivery, 50)),
        "p99_ms": ms(harness.pct(delivery, 99)),
        **figures,
        **result,
    }


def summary(rounds: list[dict]) -> dict:
    """One app's figures over the measured rounds: medians, and totals of what must be 0."""
    extra = {
        key: statistics.median(r[key] for r in rounds)
        for key in ("end_to_end_p99_ms", "store_p99_ms")
        if key in rounds[0]
    }
    return {
        "p50_ms": statistics.median(r["p50_ms"] for r in rounds),
        "p99_ms": statistics.median(r["p99_ms"] for r in rounds),
        **extra,
        "lost": sum(r["lost"] for r in rounds),
        "disorder": sum(r["disorder"] for r in rounds),
        "refused_handshakes": sum(r["refused_handshakes"] for r in rounds),
        "server_cpu_us_per_event": statistics.median(r["server_cpu_us_per_event"] for r in rounds),
        "client_core_share_max": max(r["client_core_share"] for r in rounds),
        "server_rss_mb": max(r["server_rss_mb"] for r in rounds),
        "per_round": rounds,
    }


def spread(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "rounds": [round(v, 2) for v in values],
    }


class Profiler:
    """py-spy over one daphne, sampling without pausing it, until stopped."""

    def __init__(self, pid: int, path: Path):
        spy = Path(sys.executable).with_name("py-spy")
        self.proc = subprocess.Popen(
            [str(spy), "record", "--nonblocking", "--format", "raw", "-p", str(pid), "-o", path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(30)


def measure(
    clients: int,
    rate: float,
    seconds: float,
    servers: int,
    processes: int,
    rounds: int,
    profile: Path | None = None,
) -> dict:
    from bench import harness

    env = harness.configure("distributed")
    from channels_redis.pubsub import RedisPubSubChannelLayer
    from django.contrib.auth.models import User
    from django.db import transaction
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
    # The peer publishes from one long-lived loop, as Baton's broadcaster does (a loop per
    # send would open a Redis connection per event).
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    layer = RedisPubSubChannelLayer(hosts=[env["REDIS_URL"]])
    pool = Clients(processes)

    def peer_send(index: int) -> None:
        text = json.dumps({"type": "intervention", "data": {"t": time.time(), "n": index}})
        message = {"type": "fanout.event", "text": text}
        asyncio.run_coroutine_threadsafe(layer.group_send(GROUP, message), loop).result()

    def peer_round(events: int) -> dict:
        return pool.round(
            [f"ws://127.0.0.1:{d.port}/ws/" for d in peers],
            [d.url for d in peers],
            clients,
            events,
            lambda: paced(rate, events, peer_send),
            peers,
        )

    def baton_round(events: int) -> tuple[dict, dict]:
        # A fresh run per round: nothing executes it, the events are emitted by hand and the
        # clients replay nothing old (?after= the run's last event).
        run = engine.start_run(canvas, user=user, plan=plan)
        run.refresh_from_db()
        stored: dict[int, float] = {}

        def send(index: int) -> None:
            sent = time.time()
            with transaction.atomic():
                # Runs right after commit, just before emit()'s own broadcast callback.
                transaction.on_commit(lambda: stored.__setitem__(index, time.time() - sent))
                emit(run.pk, "intervention", data={"t": sent, "n": index})

        return stored, pool.round(
            [
                f"ws://127.0.0.1:{d.port}/ws/runs/{run.pk}/?after={run.event_seq}&token={token}"
                for d in batons
            ],
            [d.url for d in batons],
            clients,
            events,
            lambda: paced(rate, events, send),
            batons,
        )

    def baton_figures(events: int) -> dict:
        stored, result = baton_round(events)
        return round_figures(result, stored)

    baton_rounds, peer_rounds, profilers = [], [], []
    try:
        peer_round(total)  # warm-up, not counted: first connections, first publishes, imports
        baton_round(total)
        if profile:
            profile.mkdir(parents=True, exist_ok=True)
            profilers = [
                Profiler(batons[0].process.pid, profile / "baton-daphne.txt"),
                Profiler(peers[0].process.pid, profile / "peer-daphne.txt"),
            ]
        for index in range(rounds):
            # Alternate who goes first, so neither always follows the other's aftermath.
            if index % 2 == 0:
                peer_rounds.append(round_figures(peer_round(total)))
                baton_rounds.append(baton_figures(total))
            else:
                baton_rounds.append(baton_figures(total))
                peer_rounds.append(round_figures(peer_round(total)))
    finally:
        for profiler in profilers:
            profiler.stop()
        pool.close()
        loop.call_soon_threadsafe(loop.stop)
        for server in [*batons, *peers]:
            server.stop()
            if os.environ.get("FANOUT_DEBUG"):
                print("\n".join(server.output), file=sys.stderr)
    baton, peer = summary(baton_rounds), summary(peer_rounds)
    p99_ratios = [b["p99_ms"] / p["p99_ms"] for b, p in zip(baton_rounds, peer_rounds, strict=True)]
    end_to_end_ratios = [
        b["end_to_end_p99_ms"] / p["p99_ms"] for b, p in zip(baton_rounds, peer_rounds, strict=True)
    ]
    cpu_ratios = [
        b["server_cpu_us_per_event"] / p["server_cpu_us_per_event"]
        for b, p in zip(baton_rounds, peer_rounds, strict=True)
    ]
    busiest = max(baton["client_core_share_max"], peer["client_core_share_max"])
    return {
        "bench": "ws_fanout",
        "ratio": {
            "p99": spread(p99_ratios)["median"],
            "end_to_end_p99": spread(end_to_end_ratios)["median"],
            "server_cpu_per_event": spread(cpu_ratios)["median"],
        },
        "p99_ratio": spread(p99_ratios),
        "end_to_end_p99_ratio": spread(end_to_end_ratios),
        "server_cpu_per_event_ratio": spread(cpu_ratios),
        "clients": clients,
        "servers": servers,
        "client_processes": processes,
        "clients_saturated": busiest > CLIENT_SATURATION,
        "rounds": rounds,
        "events": total,
        "rate_per_s": rate,
        **baton,
        "peer": peer,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--servers", type=int, default=2, help="daphne processes of each app")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds of each app")
    parser.add_argument("--sweep", default="", help="comma-separated client counts")
    parser.add_argument("--profile", type=Path, help="py-spy one daphne of each app into DIR")
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
        result = measure(
            args.clients,
            args.rate,
            args.seconds,
            args.servers,
            args.client_processes,
            args.rounds,
            args.profile,
        )
        print(json.dumps(result, separators=(",", ":")))
        if result["lost"] or result["disorder"]:
            # The figure stands (the table shows it) but the run fails: Baton promises every
            # event once and in order; the bare peer promises nothing, so its losses only show.
            raise SystemExit("Baton lost or reordered events: see `lost` and `disorder`")
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
