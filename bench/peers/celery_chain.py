"""A bare Celery app (the peer of distributed mode): no-op tasks chained on the same Redis
broker as Baton, run by a threads worker like Baton's. Its own queue, so the two never mix.

    python -m celery -A bench.peers.celery_chain worker --pool threads ...   (started by Peer)
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from celery import Celery, chain

ROOT = Path(__file__).resolve().parent.parent.parent
QUEUE = "bench-peer"
BROKER = os.environ.get("BENCH_PEER_BROKER", "redis://127.0.0.1:6379/7")

# Not the current app: Baton's shared tasks, sent from the same process, must keep going to
# Baton's own app and queue.
app = Celery("bench_peer", broker=BROKER, backend=BROKER, set_as_current=False)
app.conf.update(
    task_default_queue=QUEUE,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    result_expires=300,
)


@app.task
def hop(value: int = 0) -> int:
    return value + 1


class Peer:
    """A worker process for the bare app; `chain_seconds(n)` times one chain of n hops."""

    def __init__(self, broker: str, concurrency: int = 16):
        env = {**os.environ, "BENCH_PEER_BROKER": broker, "PYTHONPATH": str(ROOT)}
        app.conf.broker_url = app.conf.result_backend = broker
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bench.peers.celery_chain",
                "worker",
                "--pool",
                "threads",
                "-c",
                str(concurrency),
                "-Q",
                QUEUE,
                "-n",
                f"bench-peer-{time.monotonic_ns()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.log: list[str] = []
        ready = threading.Event()

        def drain():
            for line in self.process.stdout:
                self.log.append(line.rstrip())
                if " ready." in line:
                    ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(60):
            self.stop()
            raise RuntimeError("the peer celery worker did not start:\n" + "\n".join(self.log))

    def chain_seconds(self, hops: int) -> float:
        started = time.perf_counter()
        result = chain(hop.s(0), *[hop.s() for _ in range(hops - 1)]).apply_async()
        value = result.get(timeout=60, interval=0.001)
        elapsed = time.perf_counter() - started
        assert value == hops, f"the chain returned {value}, expected {hops}"
        return elapsed

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
