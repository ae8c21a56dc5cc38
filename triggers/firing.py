"""Starting runs from triggers: the payload becomes the run's query and input through sandboxed
templates, and the run records the trigger that started it and how deep in a chain it is.

Runs are created by `coordinator.engine.store.start_run`, the same service the run API uses.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from canvas.errors import InvalidDocument
from canvas.models import Canvas
from coordinator import clock
from coordinator.engine.store import start_run
from coordinator.expressions import ExpressionError, render
from coordinator.models import Run
from coordinator.single_step import TEST_TRIGGER
from coordinator.transport.events import emit
from triggers.models import Trigger, TriggerKind
from triggers.schedule import ScheduleError, decide

log = logging.getLogger(__name__)


class FiringError(ValueError):
    """The trigger cannot start a run with this payload; the message says why."""


def chain_limit() -> int:
    return int(getattr(settings, "BATON_TRIGGER_CHAIN_LIMIT", 5))


def run_request(trigger: Trigger, payload: Any) -> tuple[str, dict]:
    """The (query, input) a payload maps to. Templates see `payload`, `trigger` and `now()`."""
    context = {
        "payload": payload,
        "trigger": {"id": str(trigger.pk), "name": trigger.name, "kind": trigger.kind},
    }
    try:
        query = render(trigger.query, context) if trigger.query else ""
        run_input = render(trigger.input or {}, context)
    except ExpressionError as exc:
        raise FiringError(f"mapping the payload into the run failed: {exc}") from None
    if not isinstance(run_input, dict):
        raise FiringError("the trigger's input must render to an object")
    return ("" if query is None else str(query)), run_input


def fire(trigger: Trigger, payload: Any, *, chain_depth: int = 0):
    """Start one run of the trigger's canvas. Raises FiringError (nothing is created)."""
    query, run_input = run_request(trigger, payload)
    try:
        with transaction.atomic():
            run = start_run(
                trigger.canvas,
                user=trigger.owner,
                query=query,
                input=run_input,
                trigger=trigger.kind,
                source_trigger=trigger,
                chain_depth=chain_depth,
            )
    except InvalidDocument as exc:
        problems = "; ".join(p.message for p in exc.problems[:3])
        raise FiringError(f"the canvas cannot run: {problems}") from None
    return run


def _record_error(trigger: Trigger, message: str) -> None:
    Trigger.objects.filter(pk=trigger.pk).update(last_error=message[:2000])
    log.warning("trigger %s: %s", trigger.pk, message)


# ---------------------------------------------------------------------------- schedules


def fire_due_schedules(now: datetime | None = None) -> list:
    """Start the runs of every schedule trigger that is due at `now` (default: the clock).

    Each trigger is claimed with a conditional UPDATE of its next fire time, so two schedulers
    (or a beat tick and a slow previous tick) never start the same tick twice."""
    now = now or clock.now()
    started = []
    due = Trigger.objects.filter(
        kind=TriggerKind.SCHEDULE, paused=False, next_fire_at__lte=now
    ).select_related("canvas", "owner")
    for trigger in due:
        try:
            decision = decide(
                trigger.cron, trigger.timezone, trigger.next_fire_at, now, catch_up=trigger.catch_up
            )
        except ScheduleError as exc:
            Trigger.objects.filter(pk=trigger.pk).update(paused=True)
            _record_error(trigger, f"paused: {exc}")
            continue
        changes: dict[str, Any] = {"next_fire_at": decision.next_fire_at}
        if decision.fire:
            changes["last_fired_at"] = now
        claimed = Trigger.objects.filter(
            pk=trigger.pk, next_fire_at=trigger.next_fire_at, paused=False
        ).update(**changes)
        if not claimed or not decision.fire:
            if claimed and decision.missed:
                log.info("trigger %s skipped %d missed tick(s)", trigger.pk, decision.missed)
            continue
        payload = {
            "scheduled_for": trigger.next_fire_at.isoformat(),
            "fired_at": now.isoformat(),
            "catch_up": decision.catch_up,
            "missed": decision.missed,
        }
        try:
            started.append(fire(trigger, payload))
        except FiringError as exc:
            _record_error(trigger, str(exc))
    return started


# ---------------------------------------------------------------------------- events


def fire_event(name: str, payload: Any, user) -> tuple[list, list[dict]]:
    """A named event posted by `user`: starts every unpaused trigger subscribed to it on a
    canvas the user can see."""
    triggers = Trigger.objects.filter(
        kind=TriggerKind.EVENT,
        event=name,
        paused=False,
        canvas__in=Canvas.objects.visible_to(user).values("pk"),
    ).select_related("canvas", "owner")
    started: list = []
    failed: list[dict] = []
    for trigger in triggers:
        try:
            started.append(fire(trigger, {"event": name, "data": payload}))
        except FiringError as exc:
            _record_error(trigger, str(exc))
            failed.append({"trigger": str(trigger.pk), "error": str(exc)})
    return started, failed


def run_finished(run_id) -> None:
    """After a top-level run succeeds or fails: start the triggers subscribed to
    run.succeeded / run.failed of its canvas, one level deeper in the chain — unless that
    would pass the chain limit, which is recorded on the finished run instead."""
    # Most canvases have no such trigger: one light query says so before the run is read.
    if not Trigger.objects.filter(
        kind=TriggerKind.EVENT,
        event__in=("run.succeeded", "run.failed"),
        paused=False,
        source_canvas_id__in=Run.objects.filter(pk=run_id).values("canvas_id"),
    ).exists():
        return
    run = Run.objects.filter(pk=run_id).select_related("canvas").first()
    if run is None or run.parent_step_id or run.status not in ("succeeded", "failed"):
        return
    if run.trigger == TEST_TRIGGER:  # a test of one step is not the canvas finishing
        return
    name = f"run.{run.status}"
    triggers = list(
        Trigger.objects.filter(
            kind=TriggerKind.EVENT, event=name, source_canvas_id=run.canvas_id, paused=False
        ).select_related("canvas", "owner")
    )
    if not triggers:
        return
    depth = run.chain_depth + 1
    if depth > chain_limit():
        emit(
            run.id,
            "trigger.refused",
            data={
                "reason": f"chain depth limit of {chain_limit()} reached; "
                f"{len(triggers)} trigger(s) on {name} did not start",
                "chain_depth": run.chain_depth,
                "triggers": [str(t.pk) for t in triggers],
            },
        )
        return
    payload = {
        "event": name,
        "run": {
            "id": str(run.pk),
            "canvas": run.canvas.slug,
            "status": run.status,
            "query": run.query,
            "input": run.input,
            "answer": (run.result or {}).get("answer", ""),
            "error": run.error,
        },
    }
    for trigger in triggers:
        try:
            fire(trigger, payload, chain_depth=depth)
        except FiringError as exc:
            _record_error(trigger, str(exc))
