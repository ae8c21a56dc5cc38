"""A private distributed deployment for fault tests: its own redis-server (which a test may
kill and restart), real Celery workers and, when needed, daphne; the test process publishes to
the same private Redis. Executions are counted through the `effect` test agent's log."""

from __future__ import annotations

import collections
import json
from pathlib import Path

from tests.redis_server import PrivateRedis
from tests.workers import Worker, worker_env


def repoint_broker(url: str) -> str:
    """Make this (test) process publish to `url`; returns the previous broker URL."""
    from coordinator.celery import app

    previous = app.conf.broker_url
    if app._pool is not None:
        app._pool.force_close_all()
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    return previous


class Cluster:
    def __init__(self, agent_files: dict, lease: int = 3):
        self.redis = PrivateRedis()
        self.agent_files = agent_files
        self.lease = lease
        self.workers: list[Worker] = []
        self._previous_broker = repoint_broker(self.redis.url)

    def env(self, **extra) -> dict:
        return worker_env(
            {
                **self.agent_files,
                "REDIS_URL": self.redis.url,
                "BATON_STEP_LEASE_SECONDS": str(self.lease),
                **{k: str(v) for k, v in extra.items()},
            }
        )

    def worker(self, name: str = "w", concurrency: int = 4, **extra) -> Worker:
        worker = Worker(self.env(**extra), concurrency=concurrency, name=name)
        self.workers.append(worker)
        return worker

    def logs(self) -> str:
        """The workers' output, for a failing test's report."""
        return "\n".join(f"[{w.name}] {line}" for w in self.workers for line in w.log[-200:])

    def close(self) -> None:
        for worker in self.workers:
            worker.kill()
        repoint_broker(self._previous_broker)
        self.redis.stop()


def executions(agent_files: dict) -> list[dict]:
    path = Path(agent_files["BATON_TEST_AGENT_LOG"])
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def effect_counts(agent_files: dict) -> collections.Counter:
    """How many times each idempotency key's effect really happened."""
    return collections.Counter(e["key"] for e in executions(agent_files) if e["agent"] == "effect")


def keys_per_step(agent_files: dict) -> dict[str, set[str]]:
    """Distinct idempotency keys seen per (run, step): more than one is a doubled effect."""
    seen: dict[str, set[str]] = collections.defaultdict(set)
    for entry in executions(agent_files):
        if entry["agent"] == "effect":
            run, step, _attempt = entry["key"].rsplit(":", 2)
            seen[f"{run}:{step}"].add(entry["key"])
    return seen
