"""Real Celery worker subprocesses for distributed-mode tests."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.engine_agents import ALL

ROOT = Path(__file__).resolve().parent.parent


def worker_env(extra: dict | None = None) -> dict:
    """The worker sees the same Redis and the same (test) database as the test process."""
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "coordinator.settings",
            "REDIS_URL": settings.REDIS_URL,
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "BATON_PYTHON_AGENTS": ",".join(dict.fromkeys([*settings.BATON_PYTHON_AGENTS, *ALL])),
            "BATON_STEP_LEASE_SECONDS": "3",
            "BATON_SWEEP_SECONDS": "1",
            "BATON_RETRY_BACKOFF_SECONDS": "0.01",
            "BATON_EGRESS_ALLOWLIST": "127.0.0.0/8",  # the tests' own loopback servers
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


class Worker:
    def __init__(self, env: dict, concurrency: int = 8, name: str = "w"):
        self.name = name
        self.log: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "coordinator",
                "worker",
                "--pool",
                "threads",
                "-c",
                str(concurrency),
                "-n",
                f"{name}-{time.monotonic_ns()}@%h",
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
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(60):
            self.kill()
            raise RuntimeError("celery worker did not start:\n" + "\n".join(self.log[-40:]))

    def _read(self):
        for line in self.process.stdout:
            self.log.append(line.rstrip())
            if " ready." in line:
                self._ready.set()

    def kill(self):
        """SIGKILL: no chance to ack, release or clean up."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
