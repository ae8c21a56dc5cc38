"""Real daphne processes for end-to-end tests and benchmarks (the one place that starts them).

* :class:`Daphne` serves ``coordinator.asgi:application`` with a given environment and
  returns once the server answers HTTP;
* :func:`serve` migrates a throwaway SQLite database, runs setup scripts against it and
  serves it (embedded mode) — what the browser tests and ``bench/editor_perf.py`` use;
* :data:`CHROMIUM` and :data:`CHROMIUM_ARGS` launch Debian's Chromium the same way for both.
"""

from __future__ import annotations

import collections
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("BATON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
]
#: setup scripts run by :func:`serve` find the generated password here
SETUP_PASSWORD_ENV = "BATON_SETUP_PASSWORD"
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(tmp: Path, port: int) -> dict[str, str]:
    """This process's environment for an embedded-mode server whose files all live in
    ``tmp`` (no Redis, no PostgreSQL, no secret key of ours)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "BATON_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="coordinator.settings",
        BATON_VAR_DIR=str(tmp),
        BATON_SQLITE_PATH=str(tmp / "server.sqlite3"),
        BATON_MEDIA_ROOT=str(tmp / "media"),
        BATON_ALLOWED_HOSTS="127.0.0.1,localhost",
        BATON_CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        PYTHONUNBUFFERED="1",
    )
    return env


def _daphne_command() -> list[str]:
    daphne = Path(sys.executable).with_name("daphne")
    return [str(daphne)] if daphne.exists() else [sys.executable, "-m", "daphne"]


class Daphne:
    """A daphne process on 127.0.0.1; its last 500 output lines are kept in ``output``
    (and every line is written to ``log`` when one is given)."""

    def __init__(
        self,
        env: dict,
        port: int | None = None,
        *,
        log: Path | None = None,
        app: str = "coordinator.asgi:application",
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [*_daphne_command(), "-b", "127.0.0.1", "-p", str(self.port), app],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # Drain the output as it comes: a full pipe would block daphne's access log writes.
        self.output: collections.deque[str] = collections.deque(maxlen=500)
        self._drained = threading.Thread(target=self._drain, args=(log,), daemon=True)
        self._drained.start()
        try:
            self._wait_until_answering()
        except BaseException:
            self.stop()
            raise

    def _drain(self, log: Path | None) -> None:
        with log.open("a") if log else open(os.devnull, "w") as sink:
            for line in self.process.stdout:
                self.output.append(line.rstrip())
                sink.write(line)
                sink.flush()

    def _wait_until_answering(self) -> None:
        # Any HTTP answer will do (a 4xx included): the application is loaded and serving.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._drained.join(2)
                raise RuntimeError(
                    f"daphne exited with {self.process.returncode}:\n" + "\n".join(self.output)
                )
            try:
                with urllib.request.urlopen(self.url + "/login/", timeout=2):
                    return
            except urllib.error.HTTPError:
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(
            f"daphne did not answer within {STARTUP_SECONDS} s:\n" + "\n".join(self.output)
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@contextmanager
def serve(
    tmp: Path, setup: list[tuple[str, ...]], extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, str, str]]:
    """Migrate a fresh SQLite database in `tmp`, run each setup command (arguments to
    python, cwd ROOT; a fresh password in ``$BATON_SETUP_PASSWORD``), then serve it with
    daphne (log in ``tmp/daphne.log``). Yields (url, password, output of the last setup
    command)."""
    (tmp / "staticfiles").mkdir()  # STATIC_ROOT; WhiteNoise warns when it is missing
    port = free_port()
    env = {**embedded_env(tmp, port), **(extra_env or {})}
    password = secrets.token_urlsafe(16)

    def python(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env={**env, SETUP_PASSWORD_ENV: password},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{args[:2]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    python("manage.py", "migrate", "--noinput")
    output = ""
    for args in setup:
        output = python(*args)
    server = Daphne(env, port, log=tmp / "daphne.log")
    try:
        yield server.url, password, output
    finally:
        server.stop()
