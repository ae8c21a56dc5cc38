"""Sub-agent executors by kind (docs/architecture.md). `invoke` is the one entry point; `canvas`-kind
agents run as nested runs and are handled by the engine, not here."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import close_old_connections

from coordinator.llm import Usage


class AgentError(RuntimeError):
    """A sub-agent failed; the message is shown to users and to synthesis as the failure."""


class AgentTimeout(AgentError):
    pass


@dataclass
class AgentCall:
    slug: str
    kind: str
    config: dict
    payload: dict  # {"query", "history", "input", "context"}
    timeout: float
    on_delta: Callable[[str], None] | None = None
    on_item: Callable[[Any], None] | None = None
    owner: Any = None  # the agent's owner: whose grants pick its secrets and connection
    run_user: Any = None  # whom the run acts for (python agents are told, to scope reads)
    # Stable per (run, step, attempt): a re-executed call (a worker died after the agent ran
    # but before its result was saved) carries the same key, so the agent can deduplicate.
    idempotency_key: str = ""


@dataclass
class AgentResult:
    output: Any
    usage: Usage = field(default_factory=Usage)


def invoke(call: AgentCall) -> AgentResult:
    from coordinator.agents import http, llm, python

    runners = {"python": python.run, "http": http.run, "llm": llm.run}
    runner = runners.get(call.kind)
    if runner is None:
        raise AgentError(f"agent {call.slug}: kind {call.kind!r} cannot be invoked directly")
    return runner(call)


_DONE = object()


class AgentThreads:
    """Reused threads for agent calls (starting a thread per call costs a GIL hand-off).

    A thread cannot be killed, so a call that outlives its timeout is abandoned: its thread
    leaves the pool for good (it exits when the call finally returns) and the next call gets
    a fresh thread. Hung calls therefore never starve later calls, however many there are."""

    def __init__(self):
        self._idle: list[_AgentThread] = []
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], None]) -> _AgentThread:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _AgentThread(self)
        worker.give(job)
        return worker

    def _idle_again(self, worker: _AgentThread) -> None:
        with self._lock:
            self._idle.append(worker)


class _AgentThread:
    def __init__(self, pool: AgentThreads):
        self.pool = pool
        self.abandoned = False
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="baton-agent")
        self._thread.start()

    def give(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def abandon(self) -> None:
        self.abandoned = True

    def _loop(self) -> None:
        while True:
            self._jobs.get()()
            if self.abandoned:
                return  # its call timed out long ago: the pool has moved on
            self.pool._idle_again(self)


_pool: AgentThreads | None = None
_pool_lock = threading.Lock()


def _agent_pool() -> AgentThreads:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = AgentThreads()
        return _pool


def run_bounded(fn: Callable[[], Any], timeout: float, on_item=None) -> Any:
    """Run fn in a helper thread with a hard deadline. A generator's items are handed to
    on_item from THIS thread as they are produced; its items are returned as a list."""
    channel: queue.Queue = queue.Queue()

    def work():
        close_old_connections()
        try:
            result = fn()
            if hasattr(result, "__next__"):
                for item in result:
                    channel.put(("item", item))
                channel.put(("done", _DONE))
            else:
                channel.put(("done", result))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            channel.put(("error", exc))
        finally:
            close_old_connections()

    try:
        worker = _agent_pool().submit(work)
    except RuntimeError as exc:  # "can't start new thread": the interpreter is exiting
        from coordinator.shutdown import ProcessExiting

        raise ProcessExiting(str(exc)) from exc
    deadline = time.monotonic() + timeout
    items: list = []
    while True:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise queue.Empty
            kind, value = channel.get(timeout=remaining)
        except queue.Empty:
            worker.abandon()
            raise AgentTimeout(f"timed out after {timeout:g}s") from None
        if kind == "item":
            items.append(value)
            if on_item:
                on_item(value)
        elif kind == "error":
            raise value
        else:
            return items if value is _DONE else value
