"""Load under faults (distributed mode): N concurrent fan-out runs whose agents fail at random
(retried, then handed to a fallback), optionally with chaos — workers killed with -9 and
replaced, Redis killed and restarted, every database connection terminated. Prints one JSON
line: runs/s, p50/p99 latency, and what the faults cost: lost (never started), stuck (not
finished by the deadline), failed_by_fault (the plan cannot fail on its own), doubled (a
step whose effect happened under two different idempotency keys) and same_key_repeats
(re-executions with the same key: at least once, which an agent deduplicates on the key).

    .venv/bin/python bench/load.py --runs 500 --kill-worker --restart-redis --drop-db

It starts its own redis-server on a free port and uses the PostgreSQL database
BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/baton_bench, created if missing).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PG_URL, _ensure_database, pct  # noqa: E402

BRANCHES = 4


def plan(fail_rate: float) -> dict:
    work = {"seconds": 0.05, "fail_rate": fail_rate}
    branch = {"type": "agent", "agent": "load-effect", "retries": 1, "fallback": "load-backup"}
    return {
        "name": "load",
        "steps": [
            {"id": "fan", "type": "agent", "agent": "load-effect", "input": {"seconds": 0.05}},
            *[
                {
                    **branch,
                    "id": f"b{i}",
                    "query": f"part {i}",
                    "depends_on": ["fan"],
                    "input": work,
                }
                for i in range(BRANCHES)
            ],
            {
                "id": "join",
                "type": "agent",
                "agent": "load-effect",
                "depends_on": [f"b{i}" for i in range(BRANCHES)],
                "input": {"seconds": 0.05},
            },
        ],
    }


class Chaos(threading.Thread):
    def __init__(self, args, cluster, every: float):
        super().__init__(daemon=True)
        self.args, self.cluster, self.every = args, cluster, every
        self.stop = threading.Event()
        self.done: collections.Counter = collections.Counter()

    def run(self):
        faults = [
            name
            for name, on in (
                ("kill_worker", self.args.kill_worker),
                ("restart_redis", self.args.restart_redis),
                ("drop_db", self.args.drop_db),
            )
            if on
        ]
        while faults and not self.stop.wait(self.every):
            fault = random.choice(faults)
            try:
                getattr(self, fault)()
            except Exception as exc:  # noqa: BLE001 - a slow machine; the next fault tries again
                print(f"chaos: {fault} failed: {exc}", file=sys.stderr)
                continue
            self.done[fault] += 1

    def kill_worker(self):
        if len(self.cluster.workers) > 1:
            victim = random.choice(self.cluster.workers)
            victim.kill()
            self.cluster.workers.remove(victim)
        self.cluster.worker(f"w{time.monotonic_ns()}", concurrency=self.args.concurrency)

    def restart_redis(self):
        self.cluster.redis.kill()
        time.sleep(3)
        self.cluster.redis.start()

    def drop_db(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [connection.settings_dict["NAME"]],
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--fail-rate", type=float, default=0.1)
    parser.add_argument("--chaos-every", type=float, default=8.0, help="seconds between faults")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--kill-worker", action="store_true")
    parser.add_argument("--restart-redis", action="store_true")
    parser.add_argument("--drop-db", action="store_true")
    args = parser.parse_args()

    from tests.faults.cluster import PrivateRedis

    redis = PrivateRedis()
    effects = Path(tempfile.mkdtemp(prefix="baton-load-")) / "effects.jsonl"
    _ensure_database(PG_URL)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "coordinator.settings",
            "REDIS_URL": redis.url,
            "DATABASE_URL": PG_URL,
            "BATON_PYTHON_AGENTS": "bench.agents.effect,bench.agents.steady_effect",
            "BATON_SWEEPER": "false",  # the workers sweep
            "BATON_LOG_LEVEL": "ERROR",
            "BATON_STEP_LEASE_SECONDS": "5",
            "BATON_SWEEP_SECONDS": "1",
            "BATON_RETRY_BACKOFF_SECONDS": "0.05",
            "BENCH_EFFECT_LOG": str(effects),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.harness import agent, user_and_canvas

    agent("load-effect", "Does a short real effect.", "effect")
    agent("load-backup", "Takes over a failed effect.", "steady_effect")
    user, canvas = user_and_canvas("load-bench")
    cluster = _Cluster(redis, args.concurrency)
    try:
        print(json.dumps(measure(args, cluster, canvas, user, effects), separators=(",", ":")))
    finally:
        cluster.close()


def measure(args, cluster, canvas, user, effects: Path) -> dict:
    from canvas.plan import Plan
    from coordinator import engine, transient
    from coordinator.models import RUN_TERMINAL, Run, RunStatus

    for index in range(args.workers):
        cluster.worker(f"w{index}", concurrency=args.concurrency)
    chaos = Chaos(args, cluster, args.chaos_every)
    compiled = Plan.model_validate(plan(args.fail_rate))
    started = time.monotonic()
    chaos.start()
    ids = []
    for index in range(args.runs):
        # Run creation is one transaction: a client retries it when the database drops it.
        run = transient.retrying(
            lambda i=index: engine.start_run(canvas, user=user, query=f"load {i}", plan=compiled),
            "creating a run",
        )
        ids.append(run.pk)

    def unfinished() -> bool:
        return Run.objects.filter(pk__in=ids).exclude(status__in=RUN_TERMINAL).exists()

    deadline = started + args.timeout
    while time.monotonic() < deadline and transient.retrying(unfinished, "polling"):
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    chaos.stop.set()
    chaos.join()

    runs = transient.retrying(lambda: list(Run.objects.filter(pk__in=ids)), "reading runs")
    seconds = [(r.finished_at - r.created).total_seconds() for r in runs if r.finished_at]
    keys = collections.Counter(
        json.loads(line)["key"] for line in effects.read_text().splitlines() if line.strip()
    )
    steps = collections.Counter(key.rsplit(":", 1)[0] for key in keys)
    by_status = collections.Counter(r.status for r in runs)
    return {
        "bench": "load",
        "runs": args.runs,
        "chaos": dict(chaos.done),
        "runs_per_s": round(by_status[RunStatus.SUCCEEDED] / elapsed, 2),
        "p50_ms": round(pct(seconds, 50) * 1000) if seconds else None,
        "p99_ms": round(pct(seconds, 99) * 1000) if seconds else None,
        "lost": by_status[RunStatus.QUEUED],
        "stuck": sum(n for s, n in by_status.items() if s not in RUN_TERMINAL)
        - by_status[RunStatus.QUEUED],
        "failed_by_fault": by_status[RunStatus.FAILED] + by_status[RunStatus.TIMED_OUT],
        # A step whose effect happened under two keys: the agent could not have deduplicated.
        "doubled": sum(1 for n in steps.values() if n > 1),
        # Re-executions with the same key (a worker killed during the call): at least once,
        # deduplicable by the agent.
        "same_key_repeats": sum(n - 1 for n in keys.values() if n > 1),
        "effects": sum(keys.values()),
    }


class _Cluster:
    """The workers of the bench, on the private Redis."""

    def __init__(self, redis, concurrency: int):
        self.redis, self.concurrency, self.workers = redis, concurrency, []

    def worker(self, name: str, concurrency: int):
        from tests.workers import Worker

        env = {**os.environ, "BATON_SWEEPER": "true"}
        worker = Worker(env, concurrency, name=name)
        self.workers.append(worker)
        return worker

    def close(self):
        for worker in self.workers:
            worker.kill()
        self.redis.stop()


if __name__ == "__main__":
    main()
