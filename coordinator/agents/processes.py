"""Python agents run in processes of their own, so a call past its timeout is really stopped.

A thread cannot be killed; a process can. Each call takes an idle agent process (or forks a
new one from a forkserver that has Django loaded), sends it the call and waits for the answer
up to the timeout. A call that outlives it gets SIGKILL: the hung callable is gone, its
process is not reused, and the next call gets another. Hung calls therefore never exhaust
anything: each holds one process for at most its timeout. Processes that answered are kept
for the next call, up to BATON_PYTHON_AGENT_IDLE_PROCESSES of them.

Results, generator items and errors cross the boundary pickled: a value that cannot be
pickled is a clear step error, an exception arrives as its type name and message. The agent
process adopts the caller's environment, setting overrides and database settings: they go
with a process's first call and again only when they have changed since (tests override
settings), not with every call. It dies with the worker (a lifeline pipe), so `kill -9` on a
worker leaves no agent running behind it. A worker warms the forkserver and one idle
process when it starts (`warm`), so its first call does not wait for them.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import pickle
import sys
import threading
import time
import weakref
from collections.abc import Callable
from multiprocessing import spawn
from typing import Any

from django.conf import UserSettingsHolder, settings
from django.db import connections

from coordinator.agents import agent_process as inside
from coordinator.agents.base import AgentError, AgentTimeout
from coordinator.shutdown import ProcessExiting

STARTUP_SECONDS = 60  # a new process has Django loaded already: this is only a safety net

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload([inside.__name__])
_launching = threading.local()


def _preparation_data(name: str) -> dict:
    """multiprocessing re-imports the parent's __main__ in a new process; an agent process
    must not: a worker's main module (a CLI, a script) has nothing to do with agent calls and
    need not be safe to import. Other users of multiprocessing are left as they were."""
    data = _original_preparation_data(name)
    if getattr(_launching, "agent", False):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


_original_preparation_data = spawn.get_preparation_data
spawn.get_preparation_data = _preparation_data


class AgentProcess:
    def __init__(self):
        self.conn, child_end = _context.Pipe()
        lifeline_end, self._lifeline = _context.Pipe(duplex=False)
        self.process = _context.Process(
            target=inside.serve, args=(child_end, lifeline_end), name="baton-agent"
        )
        _launching.agent = True
        try:
            self.process.start()
        except BaseException:
            self.close()
            raise
        finally:
            _launching.agent = False
            child_end.close()
            lifeline_end.close()
        _everyone.add(self)
        self.adopted: dict | None = None  # the surroundings this process was last sent
        if not self.conn.poll(STARTUP_SECONDS) or self._ready() is None:
            code = self.kill()
            raise AgentError(f"its process did not start (exit code {code})")

    def _ready(self):
        try:
            kind, pid = self.conn.recv()
        except (EOFError, OSError):
            return None
        return pid if kind == "ready" else None

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> int | None:
        """SIGKILL and reap; the exit code (None if it would not die in time)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.close()
        return self.process.exitcode

    def stop(self) -> None:
        """An idle process: closing its pipes ends it (it reads end-of-file)."""
        self.close()
        self.process.join(1)
        if self.process.is_alive():
            self.kill()

    def close(self) -> None:
        self.conn.close()
        self._lifeline.close()


_everyone: weakref.WeakSet[AgentProcess] = weakref.WeakSet()


class AgentProcesses:
    """Idle agent processes, reused; a process is taken by one call at a time."""

    def __init__(self):
        self._idle: list[AgentProcess] = []
        self._lock = threading.Lock()

    def take(self) -> AgentProcess:
        while True:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                return AgentProcess()
            if worker.alive():
                return worker
            worker.kill()  # died while idle (OOM killer, an operator): reap it, take another

    def give_back(self, worker: AgentProcess) -> None:
        with self._lock:
            if len(self._idle) < settings.BATON_PYTHON_AGENT_IDLE_PROCESSES:
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        with self._lock:
            self._idle = []
        for worker in list(_everyone):  # idle, and any still in a call at exit
            worker.kill()


_pool = AgentProcesses()
atexit.register(_pool.close)  # runs before multiprocessing's own handler joins children


def call(
    path: str,
    payload: dict,
    kwargs: dict,
    timeout: float,
    on_item: Callable[[Any], None] | None = None,
) -> Any:
    """fn(payload, **kwargs) in an agent process, stopped at `timeout` seconds. A generator's
    items go to on_item (in this thread) as they arrive and are returned as a list."""
    worker = _start()
    try:
        worker.conn.send(_request(worker, path, payload, kwargs))
    except Exception as exc:
        worker.kill()
        raise AgentError(f"cannot send the call to the agent's process: {exc}") from exc
    deadline = time.monotonic() + timeout
    items: list = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not worker.conn.poll(remaining):
            worker.kill()
            raise AgentTimeout(f"timed out after {timeout:g}s")  # and its process is gone
        kind, value = _receive(worker)
        if kind == "item":
            items.append(value)
            try:
                if on_item:
                    on_item(value)
            except BaseException:  # the rest of the items have nowhere to go: stop the call
                worker.kill()
                raise
            continue
        _pool.give_back(worker)
        if kind == "error":
            raise AgentError(value)
        return items if kind == "items" else value


def _start() -> AgentProcess:
    try:
        return _pool.take()
    except AgentError:
        raise
    except Exception as exc:
        if sys.is_finalizing():
            raise ProcessExiting(str(exc)) from exc
        raise AgentError(f"cannot start a process for the agent: {exc}") from exc


def _receive(worker: AgentProcess) -> tuple[str, Any]:
    try:
        return worker.conn.recv()
    except EOFError:
        code = worker.kill()
        raise AgentError(f"its process ended without answering (exit code {code})") from None
    except Exception as exc:  # a value pickled there that cannot be rebuilt here
        worker.kill()
        raise AgentError(f"its answer cannot be read in the worker: {exc}") from exc


def warm() -> None:
    """Start the forkserver and one idle agent process now (a worker that has just started),
    so the first call does not wait for Django to load in them."""
    if settings.BATON_PYTHON_AGENT_IDLE_PROCESSES > 0:
        _pool.give_back(AgentProcess())


def _request(worker: AgentProcess, path: str, payload: dict, kwargs: dict) -> dict:
    """The call, with the caller's surroundings when this process has not adopted them yet
    (comparing them here costs far less than pickling them across with every call)."""
    surroundings = {
        "environ": dict(os.environ),
        "overrides": _setting_overrides(),
        "databases": {alias: dict(connections[alias].settings_dict) for alias in connections},
    }
    request = {"path": path, "payload": payload, "kwargs": kwargs}
    if surroundings != worker.adopted:
        request["surroundings"] = surroundings
        worker.adopted = surroundings
    return request


def _setting_overrides() -> dict:
    """Settings changed at run time (override_settings and the like) that the settings module
    does not say: the agent process must see them as this process does."""
    found: dict = {}
    holder = settings._wrapped
    while isinstance(holder, UserSettingsHolder):
        for name, value in vars(holder).items():
            if name.isupper() and name not in found and _picklable(value):
                found[name] = value
        holder = holder.default_settings
    return found


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - such a setting stays as the settings module says
        return False
    return True
