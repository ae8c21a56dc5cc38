"""Following a run from the command line: poll its RunEvent rows, keep a picture of it.

The CLI may run in another process than the workers, so it reads the database (the source
of truth) rather than the channel layer: every POLL_SECONDS it fetches the events after the
last seq it saw, until the run ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from coordinator.cli.format import PHASES, decision_summary
from coordinator.models import RUN_TERMINAL, Run, RunEvent
from coordinator.transport import dispatch

POLL_SECONDS = 0.2
PAGE = 500
OUTPUT_CHARS = 4000
FIVE_PHASES = ("complexity", "selection", "planning", "execution", "synthesis")


def events_after(run_id, after: int, limit: int = PAGE) -> list[dict]:
    rows = RunEvent.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")[:limit]
    return [row.as_message() for row in rows]


def follow(
    run_id,
    after: int,
    on_event: Callable[[dict], None],
    *,
    on_idle: Callable[[], None] | None = None,
    interval: float = POLL_SECONDS,
) -> Run:
    """Call on_event for every event after `after`, in order, until the run has ended and
    its last event was delivered. Returns the ended run."""
    while True:
        batch = events_after(run_id, after)
        for message in batch:
            on_event(message)
            after = message["seq"]
        if len(batch) == PAGE:
            continue
        run = Run.objects.select_related("canvas").get(pk=run_id)
        if run.status in RUN_TERMINAL:
            # The closing event commits with the status; deliver whatever came since.
            for message in events_after(run_id, after, limit=100_000):
                on_event(message)
            return run
        if on_idle:
            on_idle()
        time.sleep(interval)


@contextmanager
def held_dispatch() -> Iterator[list]:
    """Embedded mode: keep the tasks this thread enqueues instead of running them on this
    process's thread pool, so a short-lived CLI process does not start work it will not
    finish. The run stays as the database says (queued, running) and the sweeper of a
    Baton server process moves it on. Other threads dispatch as usual. No-op when
    distributed: Celery workers pick the tasks up whatever this process does."""
    if dispatch.is_distributed():
        yield []
        return
    original = dispatch._send
    held: list = []
    me = threading.get_ident()

    def send(task_name, args, countdown, **in_memory):
        if threading.get_ident() == me:  # left to the sweeper: as a message, not in memory
            held.append((task_name, args, countdown))
        else:
            original(task_name, args, countdown, **in_memory)

    dispatch._send = send
    try:
        yield held
    finally:
        dispatch._send = original


def _at(message: dict) -> datetime:
    return datetime.fromisoformat(message["at"].replace("Z", "+00:00"))


class RunView:
    """What a run looks like, from its row at the start and then its events."""

    def __init__(self, run: Run):
        self.run_id = run.pk
        self.canvas = run.canvas.slug
        self.query = run.query
        self.status = run.status
        self.current_step = run.current_step
        self.started_at = run.started_at
        self.finished_at = run.finished_at
        self.phases: dict[str, dict[str, dict]] = {}  # coordinator step → phase → state
        self.steps: dict[str, dict] = {}
        self.output: dict[str, str] = {}  # step → its streamed text (the tail)
        self.streaming: str | None = None  # the step that streamed last
        self.waiting: dict[str, str] = {}  # step → prompt of an approval or input request
        self.waiting_for: dict[str, str] = {}  # step → who it waits for
        self.rejections: list[str] = []  # "review rejected by bob: reason"
        self.interventions: list[str] = []
        self.answer = ""
        self.error = ""
        self.last_seq = 0

    @property
    def ended(self) -> bool:
        return self.status in RUN_TERMINAL

    def apply(self, message: dict) -> None:
        self.last_seq = message["seq"]
        kind = message["type"]
        data = message.get("data") or {}
        step, phase = message.get("step"), message.get("phase")
        if kind.startswith("run."):
            self._run_event(kind.removeprefix("run."), message, data)
        elif kind.startswith("phase.") and step and phase:
            self._phase_event(kind, step, phase, data)
        elif kind.startswith(("step.", "agent.")) and step:
            self._step_event(kind, step, message, data)
        elif kind in ("approval.requested", "input.requested") and step:
            self.waiting[step] = data.get("prompt") or kind
            group = data.get("group")
            self.waiting_for[step] = data.get("assignee") or (
                f"group {group}" if group else "a reviewer"
            )
        elif kind == "approval.reassigned" and step and data.get("to"):
            self.waiting_for[step] = data["to"].replace("group:", "group ", 1)
        elif kind in ("approval.decided", "input.received") and step:
            self.waiting.pop(step, None)
            self.waiting_for.pop(step, None)
            if data.get("status") in ("rejected", "expired"):
                by = data.get("by") or "the deadline"
                reason = f": {data['comment']}" if data.get("comment") else ""
                self.rejections.append(f"{step} {data['status']} by {by}{reason}")
        elif kind == "intervention":
            self.interventions.append(data.get("text", ""))

    def _run_event(self, status: str, message: dict, data: dict) -> None:
        if status == "queued":
            return
        if status == "started":
            self.status, self.started_at = "running", _at(message)
            return
        if status in ("paused", "resumed"):
            self.status = "paused" if status == "paused" else "running"
            return
        self.status, self.finished_at = status, _at(message)
        self.answer = data.get("answer") or self.answer
        self.error = data.get("error") or self.error

    def _phase_event(self, kind: str, step: str, phase: str, data: dict) -> None:
        state = self.phases.setdefault(step, {}).setdefault(phase, {"status": "running"})
        if kind == "phase.completed":
            state["status"] = "failed" if data.get("error") else "done"
            state["duration_ms"] = data.get("duration_ms")
            state["summary"] = data.get("error") or decision_summary(phase, data.get("decision"))
        elif phase == "execution" and data.get("stages"):
            state["summary"] = f"{data.get('pattern', '')}: {', '.join(data['stages'])}"

    def _step_event(self, kind: str, step: str, message: dict, data: dict) -> None:
        row = self.steps.setdefault(
            step, {"type": data.get("type", ""), "agent": "", "status": "pending", "attempt": 1}
        )
        row["agent"] = message.get("agent") or row["agent"]
        if kind == "step.started":
            self.current_step = step
            if data.get("type") == "coordinator":  # its five phases, pending until they run
                phases = self.phases.setdefault(step, {})
                for name in FIVE_PHASES:
                    phases.setdefault(name, {"status": "pending"})
            row.update(
                status="running",
                type=data.get("type") or row["type"],
                attempt=data.get("attempt", row["attempt"]),
                started=_at(message),
                duration_ms=None,
                error="",
            )
        elif kind in ("step.succeeded", "step.failed", "step.skipped", "step.cancelled"):
            status = kind.removeprefix("step.")
            row.update(status=status, duration_ms=data.get("duration_ms"))
            row["error"] = data.get("error") or data.get("reason") or ""
            if status != "succeeded" and row.get("started") and row["duration_ms"] is None:
                row["duration_ms"] = (_at(message) - row["started"]).total_seconds() * 1000
            if data.get("preview") and step not in self.output:
                self.output[step] = data["preview"]
        elif kind == "agent.delta":
            text = self.output.get(step, "") + data.get("text", "")
            self.output[step] = text[-OUTPUT_CHARS:]
            self.streaming = step
        elif kind == "agent.retrying":
            row["status"] = "retrying"
        elif kind == "agent.fallback" and data.get("to"):
            row["agent"] = data["to"]

    def sync_steps(self, rows) -> None:
        """Take the steps as the database has them (non-superseded StepRuns, in id order):
        it knows what events do not say — steps not started yet, waiting, cancelled."""
        steps = {}
        for r in rows:
            row = self.steps.get(r.step_id, {})
            status = r.status
            if row.get("status") == "retrying" and status == "pending":
                status = "retrying"
            ms = None
            if r.started_at and r.finished_at:
                ms = (r.finished_at - r.started_at).total_seconds() * 1000
            steps[r.step_id] = {
                **row,
                "type": r.type,
                "agent": r.agent or row.get("agent", ""),
                "status": status,
                "attempt": r.attempt,
                "started": r.started_at,
                "duration_ms": ms,
                "error": r.error.splitlines()[0] if r.error else "",
            }
        self.steps = steps
        if self.ended:
            self.waiting.clear()

    def phase_rows(self) -> list[tuple[str, str, dict]]:
        """(coordinator step, phase, state) in pipeline order."""
        rows = []
        for step, phases in self.phases.items():
            order = [*PHASES, *[p for p in phases if p not in PHASES]]
            rows += [(step, name, phases[name]) for name in order if name in phases]
        return rows
