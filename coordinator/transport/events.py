"""emit(): persist a RunEvent with a gapless per-run seq, broadcast it after commit.

The only module that touches the channel layer (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
import uuid
from typing import Any

from django.db import connection, transaction

from coordinator import clock
from coordinator.bounded import event_payload
from coordinator.models import Approval, Run, RunEvent
from coordinator.transient import TRANSIENT

log = logging.getLogger(__name__)

EVENT_TYPES = frozenset(
    [
        "run.queued",
        "run.started",
        "run.paused",
        "run.resumed",
        "run.cancelled",
        "run.succeeded",
        "run.failed",
        "run.timed_out",
        "phase.started",
        "phase.completed",
        "step.started",
        "step.succeeded",
        "step.failed",
        "step.skipped",
        "step.cancelled",
        "agent.started",
        "agent.delta",
        "agent.succeeded",
        "agent.failed",
        "agent.retrying",
        "agent.fallback",
        "approval.requested",
        "approval.decided",
        "approval.refused",
        "approval.voted",
        "approval.claimed",
        "approval.released",
        "approval.reassigned",
        "input.requested",
        "input.received",
        "plan.revised",
        "intervention",
        "trigger.refused",
    ]
)


def run_group(run_id) -> str:
    return f"run.{run_id}"


def canvas_group(canvas_id) -> str:
    return f"canvas.{canvas_id}"


def inbox_group(user_id) -> str:
    return f"inbox.{user_id}"


INBOX_TYPES = {
    "approval.requested",
    "approval.decided",
    "approval.voted",
    "approval.claimed",
    "approval.released",
    "approval.reassigned",
    "input.requested",
    "input.received",
}


def _take_seqs(run_id, count: int, current_step: str | None = None) -> tuple[int, Any]:
    """Atomically take the run's next `count` seqs; returns the first and the canvas id.
    The row lock is held until commit, so seqs are gapless and ordered even when steps of
    the same run emit concurrently."""
    table = Run._meta.db_table
    pk = Run._meta.pk.get_db_prep_value(run_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET event_seq = event_seq + %s, "  # noqa: S608
            "current_step = COALESCE(%s, current_step) WHERE id = %s RETURNING event_seq, canvas_id",
            [count, current_step, pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise Run.DoesNotExist(run_id)
    return row[0] - count + 1, row[1]


def emit(
    run_id: uuid.UUID | str,
    type: str,
    *,
    phase: str = "",
    step: str = "",
    agent: str = "",
    data: dict | None = None,
) -> RunEvent:
    return emit_many(
        run_id, [(type, {"phase": phase, "step": step, "agent": agent, "data": data})]
    )[0]


def emit_many(
    run_id, events: list[tuple[str, dict]], current_step: str | None = None
) -> list[RunEvent]:
    """Several events of one run in one seq allocation and one insert, in the given order.
    Each item is (type, {"phase", "step", "agent", "data"}). `current_step`, when given, is
    recorded on the run by the same UPDATE. Inside `batch(run_id)` they join the batch and
    are written when it ends (their seq is set then)."""
    for type, _ in events:
        if type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type!r}")
    now = clock.now()  # the engine's clock, as for step times (a ManualClock in tests)
    rows = [
        RunEvent(
            run_id=run_id,
            type=type,
            phase=fields.get("phase") or "",
            step=fields.get("step") or "",
            agent=fields.get("agent") or "",
            data=event_payload(fields.get("data") or {}),
            at=now,
        )
        for type, fields in events
    ]
    pending = _batches.get(run_id)
    if pending is not None:
        pending.rows.extend(rows)
        pending.current_step = current_step or pending.current_step
        return rows
    # Inside a caller's transaction a savepoint buys nothing: any failure aborts it all.
    with transaction.atomic(savepoint=False):
        _write(run_id, rows, current_step)
    return rows


class _Batch:
    def __init__(self):
        self.rows: list[RunEvent] = []
        self.current_step: str | None = None


class _Batches(threading.local):
    def __init__(self):
        self.open: dict[str, _Batch] = {}

    def get(self, run_id) -> _Batch | None:
        return self.open.get(str(run_id)) if self.open else None


_batches = _Batches()


@contextlib.contextmanager
def batch(run_id):
    """Inside a transaction: this thread's events of run `run_id` are collected and written
    when the block ends, with one seq allocation and one insert for all of them (a step's
    record and the claim of the next step are one batch). Nothing is written when the block
    raises: the transaction is rolled back anyway."""
    key = str(run_id)
    if key in _batches.open:  # already collecting: the outer batch writes them
        yield
        return
    pending = _batches.open[key] = _Batch()
    try:
        yield
    finally:
        del _batches.open[key]
    if pending.rows:
        _write(run_id, pending.rows, pending.current_step)


def emit_first(run: Run, type: str, *, data: dict | None = None) -> RunEvent:
    """The first event of a run created in the current transaction with `event_seq=1`: its
    seq is taken already, so it costs one INSERT and no seq UPDATE. Nothing else can emit
    for the run before that transaction commits (nobody else sees the run yet)."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    if run.event_seq != 1:
        raise ValueError("emit_first needs a run created with event_seq=1")
    row = RunEvent(run_id=run.pk, type=type, data=event_payload(data or {}), at=clock.now())
    with transaction.atomic(savepoint=False):
        _store([row], 1, run.canvas_id)
    return row


def _write(run_id, rows: list[RunEvent], current_step: str | None) -> None:
    """Store events (seqs taken here, under the run's row lock until commit) and broadcast
    each after commit."""
    first, canvas_id = _take_seqs(run_id, len(rows), current_step)
    _store(rows, first, canvas_id)


def _store(rows: list[RunEvent], first: int, canvas_id) -> None:
    """Insert `rows` with seqs from `first` on; broadcast each after commit."""
    for index, event in enumerate(rows):
        event.seq = first + index
    _insert(rows)
    for event in rows:
        message = event.as_message()
        inbox = _inbox_recipients(event.data) if event.type in INBOX_TYPES else []
        transaction.on_commit(lambda m=message, i=inbox: broadcast(m, canvas_id, i))


_COLUMNS = ("run", "seq", "type", "phase", "step", "agent", "data", "at")


def _insert(rows: list[RunEvent]) -> None:
    """The rows in one INSERT statement (or one per as many as the database takes parameters
    for), each value prepared by its model field as bulk_create would; without bulk_create's
    general machinery, which cost more than the insert itself, and without reading the new
    ids back (nothing uses them)."""
    fields = [RunEvent._meta.get_field(name) for name in _COLUMNS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(RunEvent._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = (connection.features.max_query_params or 10_000) // len(fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = [
                f.get_db_prep_save(getattr(event, f.attname), connection)
                for event in chunk
                for f in fields
            ]
            cursor.execute(head + ", ".join([one] * len(chunk)), params)


def _inbox_recipients(data: dict) -> list[int]:
    """Who sees an approval event in their inbox: the assignee, the assigned group's members,
    or — when nobody is assigned — the canvas owner and team."""
    approval = (
        Approval.objects.select_related("run__canvas").filter(pk=data.get("approval")).first()
        if data.get("approval")
        else None
    )
    if approval is None:
        return []
    # A reassigned item also leaves the inbox of whoever had it before.
    previous = _assignee_users(data.get("from")) if data.get("from") else set()
    if approval.assignee_user_id:
        return sorted({approval.assignee_user_id, *previous})
    if approval.assignee_group_id:
        members = approval.assignee_group.user_set.values_list("pk", flat=True)
        return sorted({*members, *previous})
    canvas = approval.run.canvas
    members = list(canvas.team.user_set.values_list("pk", flat=True)) if canvas.team_id else []
    return sorted({canvas.owner_id, *members, *previous})


def _assignee_users(label: str) -> set[int]:
    from django.contrib.auth.models import User

    if label.startswith("group:"):
        users = User.objects.filter(groups__name=label.removeprefix("group:"))
    else:
        users = User.objects.filter(username=label)
    return set(users.values_list("pk", flat=True))


def broadcast(message: dict, canvas_id, inbox: list[int] | None = None) -> None:
    """Send to the run, canvas and inbox groups without blocking the caller.

    The in-memory layer (embedded mode) is only safe on the loop its consumers run on, so the
    send hops onto that loop; channels_redis gets one long-lived broadcaster loop, which keeps
    its connections warm and preserves the order of one thread's events.
    """
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    groups = [
        run_group(message["run"]),
        canvas_group(_uuid_text(canvas_id)),
        *(inbox_group(user_id) for user_id in inbox or []),
    ]
    # Serialised once here, not once per watching socket; the layer carries the text and the
    # one field a run socket reads (its seq), so each socket unpacks no more than that.
    text = json.dumps(message, separators=(",", ":"), default=str)
    payload = {"type": "run.event", "seq": message["seq"], "text": text}
    loop = _consumer_loop if _is_in_memory(layer) else _broadcaster_loop()
    if loop is None or not loop.is_running():
        return  # in-memory layer with no consumer connected: nobody to tell
    future = asyncio.run_coroutine_threadsafe(_send_all(layer, groups, payload), loop)
    future.add_done_callback(_log_failure)


async def _send_all(layer, groups: list[str], payload: dict) -> None:
    for group in groups:
        await layer.group_send(group, payload)


def _log_failure(future) -> None:
    # A broken layer must never fail a run; clients resync by replay.
    if not future.cancelled() and future.exception() is not None:
        log.error("broadcast failed: %r", future.exception())


def _is_in_memory(layer) -> bool:
    from channels.layers import InMemoryChannelLayer

    return isinstance(layer, InMemoryChannelLayer)


_consumer_loop: asyncio.AbstractEventLoop | None = None
_broadcaster: asyncio.AbstractEventLoop | None = None
_broadcaster_lock = threading.Lock()


def bind_consumer_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by consumers: the loop the in-memory layer's receivers live on."""
    global _consumer_loop
    _consumer_loop = loop


def _broadcaster_loop() -> asyncio.AbstractEventLoop:
    global _broadcaster
    with _broadcaster_lock:
        if _broadcaster is None or _broadcaster.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, daemon=True, name="baton-broadcast").start()
            _broadcaster = loop
        return _broadcaster


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
        try:
            emit(self.run_id, "agent.delta", step=self.step, agent=self.agent, data={"text": text})
        except TRANSIENT as exc:
            # A database blip must not fail the model call: the text goes out with the next
            # delta (the step's output holds all of it in any case).
            log.warning("agent.delta not saved (%s); kept for the next one", exc)
            with self._lock:
                self._parts.insert(0, text)
                self._size += len(text)
