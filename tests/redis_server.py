"""redis-server processes owned by the tests: a fault test's broker (tests/faults/cluster.py),
and in distributed mode under pytest-xdist, each worker process's own Redis (tests/xdist.py)."""

from __future__ import annotations

import signal
import subprocess
import time

import redis

from tests.servers import free_port


class PrivateRedis:
    """A redis-server on a free loopback port, owned by the test (never the suite's)."""

    def __init__(self):
        for _ in range(5):
            self.port = free_port()
            self.url = f"redis://127.0.0.1:{self.port}/0"
            self.process: subprocess.Popen | None = None
            try:
                self.start()
                return
            except PortTaken:
                continue  # another process bound the free port first: take another
        raise RuntimeError("no free port for a private redis-server")

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                pid = client.info("server")["process_id"]
            except redis.ConnectionError:
                time.sleep(0.05)
                continue
            finally:
                client.close()
            # Another server answering on the port (one that took it since free_port) would
            # be shared with its owner: several test processes pick ports at the same time.
            if pid != self.process.pid:
                self.stop()
                raise PortTaken(f"port {self.port} answers for another redis-server ({pid})")
            return
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def kill(self) -> None:
        """SIGKILL: queued messages are gone (no persistence), like a crashed broker."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class PortTaken(RuntimeError):
    pass
