"""Websocket consumers (docs/architecture.md): stream only; commands go through the REST API.

A run stream replays persisted events after `?after=<seq>`, then goes live. The consumer joins
the group before it reads the replay, drops live events it already sent, and fills any gap from
the database, so a client sees every event exactly once, in order, across the hand-over and
across reconnects. A slow client never slows the run: the channel layer drops what it cannot
hold, and the next event reveals the gap, which is filled by replay (with a `resync` notice).
Events can also be lost with no later event to reveal it (the last ones of a run, broadcast
while Redis was down): every BATON_WS_HEARTBEAT_SECONDS the consumer learns the run's last seq,
replays what is missing and sends `{"type": "heartbeat", "last_seq": N}`, so a client, too, can
tell within seconds that it is behind (and that its socket is alive). The last seqs come from
one read per process and tick for all its sockets (coordinator/transport/heartbeat.py).

A live event costs a socket no database work and no thread hop: the broadcaster serialised it
once, the consumer compares its seq and forwards the text.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from canvas.models import Canvas
from coordinator.engine.approvals import inbox_items
from coordinator.models import RUN_ACTIVE, Run, RunEvent, StepRun
from coordinator.transport.events import bind_consumer_loop, canvas_group, inbox_group, run_group
from coordinator.transport.heartbeat import Heartbeat, group_by
from coordinator.transport.reads import read_trip
from coordinator.unstorable import first_unstorable
from coordinator.ws_auth import may_be_authenticated

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_BAD_REQUEST = 4400
REPLAY_BATCH = 500
MAX_SEQ = 2_147_483_647
CANVAS_RUNS_LISTED = 20


class BatonConsumer(AsyncWebsocketConsumer):
    """Opening a socket is one trip to the database thread: the user (session or token,
    resolved lazily by coordinator/ws_auth.py), the tenancy check and the first read (the
    replay, the snapshot) together. The socket joins its groups before that trip, so the
    first read and the live events that follow overlap rather than leave a gap; nothing is
    sent before the check passes (a consumer handles one message at a time: live events
    wait in its channel until connect returns, and are dropped if it refused)."""

    groups_to_join: list[str]
    accepted = False

    def route(self) -> None:
        """Parse the URL (no I/O): set groups_to_join, or _refusal (a close code)."""

    def open(self, user) -> bool:
        """In the database thread, for an authenticated user: the tenancy check (False
        refuses) and the first read, kept for after_accept."""
        return True

    async def connect(self):
        bind_consumer_loop(asyncio.get_running_loop())
        self.groups_to_join = []
        if not may_be_authenticated(self.scope):  # no credential: refused with no I/O
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self._refusal = None
        self.route()
        for group in self.groups_to_join:
            await self.channel_layer.group_add(group, self.channel_name)
        try:
            refusal = await _open(self)
        except BaseException:  # the database is unreachable: leave no group behind
            await self.leave_groups()
            raise
        if refusal is not None:
            await self.leave_groups()
            await self.close(code=refusal)
            return
        self.accepted = True
        await self.accept(self._subprotocol())
        await self.after_accept()

    def open_in_thread(self) -> int | None:
        """The connect trip: the close code that refuses the socket, or None."""
        user = self.scope["user"]  # resolved here, in the database thread
        if not user.is_authenticated:
            return CLOSE_UNAUTHENTICATED
        self.user = user
        if self._refusal is not None:  # a bad URL, refused once the user is known
            return self._refusal
        if not self.open(user):
            return CLOSE_NOT_FOUND
        return None

    async def after_accept(self):
        return None

    def _subprotocol(self) -> str | None:
        offered = self.scope.get("subprotocols") or []
        if "baton" in offered:
            return "baton"
        return None

    async def disconnect(self, code):
        await self.leave_groups()

    async def leave_groups(self):
        for group in getattr(self, "groups_to_join", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_to_join = []

    async def websocket_disconnect(self, message):
        # Channels' own ends with a hop to the database thread to close stale connections,
        # one per socket; the next read trip does that itself (coordinator/transport/reads.py).
        await self.disconnect(message["code"])
        raise StopConsumer()

    async def dispatch(self, message):
        # Channels' own dispatch first closes stale database connections, a hop to the
        # database thread, for every message: for every live event on every socket. Our
        # handlers reach the database only through read trips, which do that themselves.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        if message["type"] == "run.event" and not self.accepted:
            return  # reached a socket that was refused after joining its group
        await handler(message)

    async def receive(self, text_data=None, bytes_data=None):
        # The stream is read-only; a ping keeps proxies from closing idle sockets.
        if text_data and text_data.strip() == '{"type":"ping"}':
            await self.send(text_data='{"type":"pong"}')
            return
        found = unstorable_in_message(text_data) if text_data else None
        if found:  # refused like any other edge, naming the field, then the socket is closed
            await self.send_json(
                {"type": "error", "errors": [{"field": found[0], "message": found[1]}]}
            )
            await self.close(code=CLOSE_BAD_REQUEST)

    async def forward(self, event: dict):
        """A live event, as serialised once by the broadcaster."""
        await self.send(text_data=event["text"])

    async def send_json(self, message: dict):
        await self.send(text_data=json.dumps(message, separators=(",", ":")))


def unstorable_in_message(text: str) -> tuple[str, str] | None:
    """(field, message) when a JSON message carries text that cannot be stored."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return first_unstorable(data, "message")


class RunConsumer(BatonConsumer):
    """/ws/runs/<run_id>/?after=<seq>"""

    def route(self) -> None:
        try:
            self.run_id = uuid.UUID(str(self.scope["url_route"]["kwargs"]["run_id"]))
        except ValueError:
            self._refusal = CLOSE_NOT_FOUND
            return
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            self.last_seq = int(query.get("after", ["0"])[0])
        except ValueError:
            self.last_seq = -1
        if not 0 <= self.last_seq <= MAX_SEQ:  # seq is a 32-bit column in PostgreSQL
            self._refusal = CLOSE_BAD_REQUEST
            return
        self.groups_to_join = [run_group(self.run_id)]

    def open(self, user) -> bool:
        if not Run.objects.visible_to(user).filter(pk=self.run_id).exists():
            return False
        self._first_batch = events_after(self.run_id, self.last_seq, REPLAY_BATCH)
        return True

    async def after_accept(self):
        self._sending = asyncio.Lock()  # live events, replays and heartbeats, one at a time
        async with self._sending:
            first, self._first_batch = self._first_batch, None
            await self._replay(first)
        RUN_SEQS.watch(self.run_id, self.beat)

    async def disconnect(self, code):
        if hasattr(self, "_sending"):
            RUN_SEQS.unwatch(self.run_id, self.beat)
        await super().disconnect(code)

    async def beat(self, stored: int) -> None:
        """A heartbeat tick, with the run's last stored seq."""
        async with self._sending:
            if stored > self.last_seq:  # events that never arrived live
                await self.send_json(
                    {"type": "resync", "run": str(self.run_id), "after": self.last_seq}
                )
                await self._replay()
            await self.send_json(
                {"type": "heartbeat", "run": str(self.run_id), "last_seq": self.last_seq}
            )

    async def _replay(self, batch: list[dict] | None = None) -> None:
        """Send what is stored after last_seq (starting with `batch` when already read)."""
        while True:
            if batch is None:
                batch = await _events_after(self.run_id, self.last_seq, REPLAY_BATCH)
            for message in batch:
                await self.send_json(message)
                self.last_seq = message["seq"]
            if len(batch) < REPLAY_BATCH:
                return
            batch = None

    async def run_event(self, event):
        async with self._sending:
            seq = event["seq"]
            if seq <= self.last_seq:
                return  # already sent by the replay
            if seq > self.last_seq + 1:
                await self.send_json(
                    {"type": "resync", "run": str(self.run_id), "after": self.last_seq}
                )
                await self._replay()
                return
            await self.forward(event)
            self.last_seq = seq


class CanvasConsumer(BatonConsumer):
    """/ws/canvases/<canvas_id>/ — every run of a canvas, live (drives node status colours):
    a snapshot of the active runs, then their events as broadcast (not replayed: a client
    orders them by seq and fetches what it missed), and a heartbeat with each active run's
    last seq."""

    def route(self) -> None:
        try:
            self.canvas_id = uuid.UUID(str(self.scope["url_route"]["kwargs"]["canvas_id"]))
        except ValueError:
            self._refusal = CLOSE_NOT_FOUND
            return
        self.groups_to_join = [canvas_group(self.canvas_id)]

    def open(self, user) -> bool:
        if not Canvas.objects.visible_to(user).filter(pk=self.canvas_id).exists():
            return False
        self._snapshot = active_runs(self.canvas_id)
        return True

    async def after_accept(self):
        snapshot, self._snapshot = self._snapshot, None
        await self.send_json({"type": "snapshot", "runs": snapshot})
        CANVAS_RUNS.watch(self.canvas_id, self.beat)
        self._watching = True

    async def disconnect(self, code):
        if getattr(self, "_watching", False):
            CANVAS_RUNS.unwatch(self.canvas_id, self.beat)
        await super().disconnect(code)

    async def beat(self, runs: list[dict]) -> None:
        # Events reach this socket from several engine threads or workers, each after its own
        # commit, at most once: a client can miss one, or see it after a later one. The
        # heartbeat names the last seq of each active run, so a client that is behind (a run's
        # last event lost, nothing after it to reveal the gap) catches up from the database.
        await self.send_json({"type": "heartbeat", "runs": runs})

    async def run_event(self, event):
        await self.forward(event)


class InboxConsumer(BatonConsumer):
    """/ws/inbox/ — approval and input requests and decisions that concern this user."""

    async def after_accept(self):
        # The group is the user's, known only after the connect trip: joined before the
        # count is read, so a request made in between is counted or arrives live.
        self.groups_to_join = [inbox_group(self.user.pk)]
        await self.channel_layer.group_add(self.groups_to_join[0], self.channel_name)
        await self.send_json({"type": "snapshot", "pending": await _pending_count(self.user)})

    async def run_event(self, event):
        await self.forward(event)


@read_trip
def _open(consumer: BatonConsumer) -> int | None:
    return consumer.open_in_thread()


def events_after(run_id, after: int, limit: int) -> list[dict]:
    return [
        e.as_message()
        for e in RunEvent.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")[:limit]
    ]


_events_after = read_trip(events_after)


@read_trip
def _last_seqs(run_ids: list) -> dict:
    """Every watched run's last seq, in one query (a run that is gone: missing, read as 0)."""
    return dict(Run.objects.filter(pk__in=run_ids).values_list("pk", "event_seq"))


RUN_SEQS = Heartbeat(_last_seqs, missing=0)


def active_runs(canvas_id) -> list[dict]:
    runs = []
    for run in Run.objects.filter(canvas_id=canvas_id, status__in=[*RUN_ACTIVE, "paused"]).order_by(
        "-created"
    )[:CANVAS_RUNS_LISTED]:
        steps = StepRun.objects.filter(run=run, superseded=False).values_list("step_id", "status")
        runs.append(
            {
                "run": str(run.pk),
                "status": run.status,
                "last_seq": run.event_seq,
                "steps": dict(steps),
            }
        )
    return runs


@read_trip
def _active_run_seqs(canvas_ids: list) -> dict:
    """Each watched canvas's latest active runs with their last seq, in one query."""
    rows = (
        Run.objects.filter(canvas_id__in=canvas_ids, status__in=[*RUN_ACTIVE, "paused"])
        .order_by("-created")
        .values_list("canvas_id", "pk", "event_seq")
    )
    return {
        canvas: [{"run": str(pk), "last_seq": seq} for pk, seq in runs]
        for canvas, runs in group_by(rows, CANVAS_RUNS_LISTED).items()
    }


CANVAS_RUNS = Heartbeat(_active_run_seqs, missing=[])


@read_trip
def _pending_count(user) -> int:
    return inbox_items(user).filter(status="pending").count()
