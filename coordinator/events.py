"""emit(): persist a RunEvent with a gapless per-run seq, broadcast it after commit.

The only module that touches the channel layer (DESIGN §3, §8).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

from asgiref.sync import async_to_sync
from django.db import connection, transaction
from django.utils import timezone

from coordinator.models import Run, RunEvent

log = logging.getLogger(__name__)

EVENT_TYPES = frozenset(
    """run.queued run.started run.paused run.resumed run.cancelled run.succeeded run.failed
    run.timed_out phase.started phase.completed step.started step.succeeded step.failed
    step.skipped agent.started agent.delta agent.succeeded agent.failed agent.retrying
    agent.fallback approval.requested approval.decided input.requested input.received
    plan.revised intervention""".split()
)


def run_group(run_id) -> str:
    return f"run.{run_id}"


def canvas_group(canvas_id) -> str:
    return f"canvas.{canvas_id}"


def _next_seq(run_id) -> tuple[int, Any]:
    """Atomically take the run's next seq. The row lock is held until commit, so seqs
    are gapless and ordered even when steps of the same run emit concurrently."""
    table = Run._meta.db_table
    pk = Run._meta.pk.get_db_prep_value(run_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET event_seq = event_seq + 1 WHERE id = %s "  # noqa: S608
            "RETURNING event_seq, canvas_id",
            [pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Run.DoesNotExist(run_id)
    return row[0], row[1]


def emit(
    run_id: uuid.UUID | str,
    type: str,
    *,
    phase: str = "",
    step: str = "",
    agent: str = "",
    data: dict | None = None,
) -> RunEvent:
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    with transaction.atomic():
        seq, canvas_id = _next_seq(run_id)
        event = RunEvent.objects.create(
            run_id=run_id,
            seq=seq,
            type=type,
            phase=phase or "",
            step=step or "",
            agent=agent or "",
            data=data or {},
            at=timezone.now(),
        )
        message = event.as_message()
        transaction.on_commit(lambda: broadcast(message, canvas_id))
    return event


def broadcast(message: dict, canvas_id) -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    payload = {"type": "run.event", "event": message}
    try:
        async_to_sync(layer.group_send)(run_group(message["run"]), payload)
        async_to_sync(layer.group_send)(canvas_group(_uuid_text(canvas_id)), payload)
    except Exception:  # a broken layer must never fail a run; clients resync by replay
        log.exception("broadcast of run event %s/%s failed", message["run"], message["seq"])


def _uuid_text(value) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(uuid.UUID(str(value)))


class DeltaBuffer:
    """Coalesces streamed text into agent.delta events: at most one per interval or size,
    so a fast model cannot flood the database or the socket."""

    def __init__(self, run_id, step: str, agent: str, interval: float = 0.1, max_chars: int = 200):
        self.run_id, self.step, self.agent = run_id, step, agent
        self.interval, self.max_chars = interval, max_chars
        self._parts: list[str] = []
        self._size = 0
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        if not text:
            return
        with self._lock:
            self._parts.append(text)
            self._size += len(text)
            due = self._size >= self.max_chars or time.monotonic() - self._last >= self.interval
        if due:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            if not self._parts:
                return
            text = "".join(self._parts)
            self._parts, self._size, self._last = [], 0, time.monotonic()
        emit(self.run_id, "agent.delta", step=self.step, agent=self.agent, data={"text": text})
