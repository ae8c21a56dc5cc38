"""The run state machine (docs/architecture.md). The database is the source of truth.

`advance(run_id)` finds ready steps, claims each with a conditional UPDATE (exactly one winner)
and dispatches it; `execute_step` runs a claimed step and records its outcome with a conditional
UPDATE on its claim token, so a step's effect is recorded once per (run, step, attempt) however
often its task is delivered. Waiting steps end the task; decisions, timers and events resume them.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum

from canvas import compiled
from canvas.plan import Plan
from coordinator import clock, dispatch, shutdown, transient
from coordinator.bounded import stored_output
from coordinator.events import emit, emit_many
from coordinator.models import (
    RUN_ACTIVE,
    RUN_TERMINAL,
    STEP_DONE,
    STEP_TERMINAL,
    Approval,
    Run,
    RunStatus,
    StepRun,
    StepStatus,
)
from coordinator.outcomes import ChildSpec, Failed, Outcome, Succeeded, Waiting
from coordinator.readiness import RowView, next_actions
from coordinator.run_input import checked_input
from coordinator.transient import TRANSIENT

log = logging.getLogger(__name__)


def lease_seconds() -> float:
    return float(getattr(settings, "BATON_STEP_LEASE_SECONDS", 30))


# ---------------------------------------------------------------------------- starting runs


def start_run(
    canvas,
    *,
    user=None,
    query: str = "",
    input: dict | None = None,
    history: list[dict] | None = None,
    conversation=None,
    trigger: str = "manual",
    version=None,
    plan: Plan | None = None,
    adaptive: dict | None = None,
    parent_step: StepRun | None = None,
    source_trigger=None,
    chain_depth: int = 0,
) -> Run:
    """Create a queued run of a canvas (its latest version unless pinned) and enqueue it.
    Raises canvas.errors.InvalidDocument when the canvas does not compile and
    coordinator.run_input.InvalidRunInput when the input does not fit its input_schema
    (after the schema's defaults are applied)."""
    version = version or canvas.current_version()
    if plan is None:
        if version is None:
            from canvas.errors import InvalidDocument, Problem

            raise InvalidDocument([Problem("the canvas has no saved version", field="version")])
        plan = compiled.plan_of(canvas, version)  # cached per version: versions are immutable
    input = checked_input(plan.input_schema, input or {})
    depth = parent_step.run.depth + 1 if parent_step else 0
    with transaction.atomic():
        run = Run.objects.create(
            canvas=canvas,
            version=version,
            plan=plan.model_dump(mode="json", exclude_none=True),
            conversation=conversation,
            created_by=user,
            query=query,
            input=input or {},
            history=history or [],
            trigger=trigger,
            adaptive=adaptive or (plan.adaptive.model_dump() if plan.adaptive else None),
            parent_step=parent_step,
            depth=depth,
            source_trigger=source_trigger,
            chain_depth=chain_depth,
        )
        StepRun.objects.bulk_create(
            [
                StepRun(
                    run=run,
                    step_id=step.id,
                    type=step.type,
                    spec=step.model_dump(mode="json", exclude_none=True),
                    depends_on=list(step.depends_on),
                    agent=getattr(step, "agent", "") or "",
                )
                for step in plan.steps
            ]
        )
        queued = {"query": query, "trigger": trigger}
        if source_trigger is not None:
            queued |= {"trigger_id": str(source_trigger.pk), "chain_depth": chain_depth}
        emit(run.id, "run.queued", data=queued)
        dispatch.enqueue("advance", str(run.id))
    return run


def max_execution_seconds(plan: dict) -> float:
    limits = [
        s.get("config", {}).get("max_execution_time", 1800)
        for s in plan.get("steps", [])
        if s.get("type") == "coordinator"
    ]
    return float(max(limits)) if limits else float(getattr(settings, "BATON_RUN_MAX_SECONDS", 1800))


# ---------------------------------------------------------------------------- advancing


def advance(
    run_id, keep_one: bool = False, known: Run | None = None
) -> tuple[int, str, StepRun] | None:
    """Move a run forward as far as it can go now. Safe to call concurrently and repeatedly.
    With keep_one, one claimed step is returned for the caller to execute instead of enqueued.
    `known` is a Run whose status was read in the transaction that just committed."""
    kept: list[tuple[int, str, StepRun]] = []
    for _ in range(50):
        run, known = known or Run.objects.filter(pk=run_id).first(), None
        if run is None or run.status not in RUN_ACTIVE:
            break
        if run.status == RunStatus.QUEUED and not _start(run):
            continue
        if run.deadline and clock.now() >= run.deadline:
            run = Run.objects.get(pk=run.pk)  # a resume may have moved the deadline meanwhile
            if run.deadline and clock.now() >= run.deadline:
                time_out(run)
                break
        rows = list(StepRun.objects.filter(run=run, superseded=False))
        actions = next_actions(
            [RowView.of(r) for r in rows],
            now=clock.now(),
            context=lambda run=run, rows=rows: step_context(run, rows),
        )
        if not _apply(run, {r.pk: r for r in rows}, actions, kept if keep_one else None):
            break
    return kept[0] if kept else None


def _start(run: Run) -> bool:
    now = clock.now()
    deadline = now + timedelta(seconds=max_execution_seconds(run.plan))
    with transaction.atomic():
        won = Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=now, deadline=deadline
        )
        if won:
            emit(run.id, "run.started", data={"deadline": deadline.isoformat()})
            seconds = (deadline - now).total_seconds()
            if seconds < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]:
                dispatch.enqueue("advance", str(run.id), countdown=seconds + 0.05)
    return bool(won)


def _apply(run: Run, rows: dict[int, StepRun], actions, kept: list | None = None) -> bool:
    """Carry out the actions; True when state changed in a way that may make more work ready."""
    changed = False
    ready = [rows[a.row_id] for a in actions if a.kind == "claim"]
    if ready:
        changed |= _claim_ready(run, ready, kept, list(rows.values()))
    for action in actions:
        row = rows.get(action.row_id) if action.row_id else None
        if action.kind == "skip":
            changed |= _skip(run, row, action.reason)
        elif action.kind == "resume":
            changed |= _record_waiting_done(row, Succeeded(output=row.output or {"waited": True}))
        elif action.kind == "finalize":
            changed |= _finalize_parent(run, row, [rows[i] for i in action.children])
        elif action.kind == "synthesize":
            keep = kept is not None and not kept
            token = _claim_for_synthesis(run, row, dispatch_it=not keep)
            if keep and token:
                row.status, row.claim_token, row.run = StepStatus.RUNNING, token, run
                kept.append((row.pk, token, row))
        elif action.kind == "finish":
            finish_run(run, rows.values())
        elif action.kind == "mark_waiting" and run.status == RunStatus.RUNNING:
            Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(status=RunStatus.WAITING)
        elif action.kind == "mark_running" and run.status == RunStatus.WAITING:
            Run.objects.filter(pk=run.pk, status=RunStatus.WAITING).update(status=RunStatus.RUNNING)
    return changed


def _claim_ready(
    run: Run, ready: list[StepRun], kept: list | None, rows_loaded: list[StepRun] | None = None
) -> bool:
    """Claim every ready step in one transaction, so parallel steps start together; each
    claim is still a conditional UPDATE with exactly one winner. Limits are checked inside
    the same transaction (see limits.admit). With `kept`, the last one won is handed back to
    the caller to execute instead of being enqueued. True when steps were skipped."""
    from coordinator.limits import admit

    won: list[tuple[StepRun, str]] = []
    with transaction.atomic():
        ready, over_budget = admit(run, ready)
        # Timestamps after admission holds its locks: a start never predates the commit of
        # the step whose slot it took (the Gantt chart and the concurrency limit agree).
        now, until = clock.now(), clock.database_in(lease_seconds())
        for row, reason in over_budget:
            _skip(run, row, reason)
        for row in ready:
            token = uuid.uuid4()
            if StepRun.objects.filter(
                pk=row.pk, status=StepStatus.PENDING, superseded=False
            ).update(
                status=StepStatus.RUNNING,
                claim_token=token,
                claimed_until=until,
                started_at=row.started_at or now,
            ):
                won.append((row, str(token)))
        if not won:
            return bool(over_budget)
        emit_many(
            run.id,
            [e for row, _ in won for e in _start_events(run, row)],
            current_step=won[-1][0].step_id,
        )
        keep = won.pop() if kept is not None else None
        for row, token in won:
            dispatch.enqueue("execute_step", row.pk, token)
    if keep:
        row, token = keep
        row.status, row.claim_token, row.run = StepStatus.RUNNING, token, run
        row.started_at = row.started_at or now
        row.siblings = {r.step_id: r for r in rows_loaded} if rows_loaded else None
        kept.append((row.pk, token, row))
    return bool(over_budget)


def _start_events(run: Run, row: StepRun) -> list[tuple[str, dict]]:
    data = {"attempt": row.attempt, "type": row.type}
    if row.iteration > 1:
        data["iteration"] = row.iteration
    where = {"step": row.step_id, "agent": row.agent}
    events = [("step.started", {**where, "data": data})]
    if row.type == "agent":
        query = (row.spec.get("query") or run.query)[:500]
        events.append(("agent.started", {**where, "data": {"query": query}}))
    return events


def _claim_for_synthesis(run: Run, row: StepRun, dispatch_it: bool = True) -> str | None:
    """A coordinator whose stages are all done is claimed again to reflect and synthesise."""
    token = uuid.uuid4()
    with transaction.atomic():
        if not StepRun.objects.filter(
            pk=row.pk, status=StepStatus.WAITING, superseded=False
        ).update(
            status=StepStatus.RUNNING,
            claim_token=token,
            claimed_until=clock.database_in(lease_seconds()),
        ):
            return None
        Run.objects.filter(pk=run.pk).update(current_step=row.step_id)
        if dispatch_it:
            dispatch.enqueue("execute_step", row.pk, str(token))
    return str(token)


def _skip(run: Run, row: StepRun, reason: str) -> bool:
    with transaction.atomic():
        done = StepRun.objects.filter(
            pk=row.pk, status__in=[StepStatus.PENDING, StepStatus.WAITING]
        ).update(status=StepStatus.SKIPPED, error=reason, finished_at=clock.now())
        if done:
            emit(run.id, "step.skipped", step=row.step_id, agent=row.agent, data={"reason": reason})
    return bool(done)


# ---------------------------------------------------------------------------- executing


class LeaseKeeper:
    """One thread renews the claims of every step this process is executing, so a long step
    keeps its claim while a dead worker's claims expire and are retried by the sweeper.
    A claim gets a fresh lease when execution takes it (see `_take`); each renewal comes a
    third of a lease after the last and also records a heartbeat, the sign of life that makes
    a re-sent copy of the step stand down. A renewal that fails on the database is retried
    within a second; one whose claim was handed elsewhere (shutdown) stops."""

    RETRY_SECONDS = 1.0

    def __init__(self):
        self._due: dict[int, tuple[float, str]] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def hold(self, row_id: int, token) -> None:
        with self._wake:
            self._due[row_id] = (clock.monotonic() + lease_seconds() / 3, str(token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, daemon=True, name="baton-lease")
                self._thread.start()
            self._wake.notify()

    def release(self, row_id: int) -> None:
        with self._wake:
            self._due.pop(row_id, None)

    def held(self) -> dict[int, str]:
        """The claims this process is executing now: {step run id: claim token}."""
        with self._wake:
            return {pk: token for pk, (_, token) in self._due.items()}

    def _loop(self):
        from django.db import close_old_connections

        while True:
            with self._wake:
                now = clock.monotonic()
                next_due = min((due for due, _ in self._due.values()), default=now + 60)
                if next_due > now:
                    self._wake.wait(min(next_due - now, 60))
                    continue
                renew = {pk: token for pk, (due, token) in self._due.items() if due <= now}
                for pk in renew:
                    self._due[pk] = (now + lease_seconds() / 3, renew[pk])
            try:
                for row_id, token in renew.items():
                    self._renew(row_id, token)
            except TRANSIENT as exc:
                log.warning("renewing step claims failed (%s); retrying", exc)
                self._retry_soon(renew)
            except Exception:
                log.exception("renewing step claims failed")
                self._retry_soon(renew)
            finally:
                close_old_connections()

    def _renew(self, row_id: int, token: str) -> None:
        renewed = StepRun.objects.filter(
            pk=row_id, status=StepStatus.RUNNING, claim_token=token
        ).update(
            claimed_until=clock.database_in(lease_seconds()), heartbeat_at=clock.database_now()
        )
        if not renewed:
            self.release(row_id)  # recorded meanwhile, or handed to another worker

    def _retry_soon(self, renew: dict[int, str]) -> None:
        with self._wake:
            soon = clock.monotonic() + min(self.RETRY_SECONDS, lease_seconds() / 3)
            for pk, token in renew.items():
                if pk in self._due:
                    self._due[pk] = (soon, token)


leases = LeaseKeeper()


def execute_step(step_run_id: int, claim_token: str, resent_at: str | None = None) -> None:
    """Run a claimed step, record it, advance the run; then keep going with one step that
    advance claimed, instead of sending it through the queue (its claim is durable as usual).
    `resent_at` marks a copy the sweeper re-sent after the claim's lease expired."""
    claim = _execute_one(step_run_id, claim_token, resent_at=resent_at)
    while claim is not None:  # claims kept by advance() were never sent anywhere else
        if shutdown.draining():  # this worker is going away: another one takes it
            dispatch.send_now("execute_step", claim[0], claim[1])
            return
        claim = _execute_one(*claim)


def _take(step_run_id: int, claim_token: str, resent_at: str | None) -> str | None:
    """Take a claim for execution: swap its token for one only this execution knows and
    start a fresh lease now, however long the task waited in the queue. A concurrent or stale
    delivery of the same claim loses here and does nothing; so does a re-sent copy when the
    claim's holder renewed it after the sweeper saw it expire (the holder is alive)."""
    token = uuid.uuid4()
    claim = StepRun.objects.filter(
        pk=step_run_id, status=StepStatus.RUNNING, claim_token=claim_token
    )
    if resent_at is not None:
        seen = datetime.fromisoformat(resent_at)
        claim = claim.filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=seen))
    won = claim.update(  # the database's time: a worker's own clock may be off
        claim_token=token,
        claimed_until=clock.database_in(lease_seconds()),
        heartbeat_at=clock.database_now(),
    )
    return str(token) if won else None


def _execute_one(
    step_run_id: int,
    claim_token: str,
    kept: StepRun | None = None,
    resent_at: str | None = None,
) -> tuple[int, str, StepRun] | None:
    if kept is None:
        claim_token = transient.retrying(
            lambda: _take(step_run_id, claim_token, resent_at), "taking a step's claim"
        )
        if claim_token is None:
            return None
    row = kept or transient.retrying(
        lambda: StepRun.objects.select_related("run", "run__canvas").get(pk=step_run_id),
        "loading a step",
    )
    run = row.run
    if kept is not None:
        # advance() read the run's status before it claimed this step: a pause or a cancel
        # may have landed since, and it applies to a kept claim as to a delivered one.
        run.status = Run.objects.values_list("status", flat=True).get(pk=run.pk)
    if run.status == RunStatus.PAUSED:
        StepRun.objects.filter(pk=row.pk, claim_token=claim_token).update(
            status=StepStatus.WAITING
            if row.type == "coordinator" and row.output
            else StepStatus.PENDING,
            claim_token=None,
        )
        return None
    if run.status in RUN_TERMINAL:
        StepRun.objects.filter(pk=row.pk, claim_token=claim_token).update(
            status=StepStatus.CANCELLED, claim_token=None, finished_at=clock.now()
        )
        return None
    leases.hold(row.pk, claim_token)
    try:
        outcome = _run_executor(row, run)
    finally:
        leases.release(row.pk)
    if outcome is None:  # the database stayed away: the claim expires and is re-sent
        return None
    _record_retrying(row, claim_token, outcome)
    fresh = getattr(row, "_run_state", None)  # read by record(), inside its transaction
    if fresh is not None:
        run.status = fresh.status
    known = run if fresh is not None else None
    return transient.retrying(
        lambda: advance(run.pk, keep_one=True, known=known), "advancing a run"
    )


def _run_executor(row: StepRun, run: Run) -> Outcome | None:
    """The step's executor, repeated with backoff while the database is unavailable (an agent
    step re-invoked this way uses the same idempotency key, and a result it already wrote to
    the outbox is reused). None when the database stayed away for the whole retry budget."""
    from coordinator.steps import execute

    try:
        return transient.retrying(lambda: execute(row, run), f"executing step {row.step_id}")
    except TRANSIENT:
        log.warning(
            "step %s of run %s: database unavailable; left for the sweeper", row.step_id, run.pk
        )
        return None
    except shutdown.ProcessExiting:
        log.warning("step %s of run %s: process exiting; left for the sweeper", row.step_id, run.pk)
        return None
    except Exception as exc:  # an executor bug must fail the step, not wedge the run
        log.exception("step %s of run %s crashed", row.step_id, run.pk)
        return Failed(error=f"{type(exc).__name__}: {exc}")


def _record_retrying(row: StepRun, token, outcome: Outcome) -> bool:
    """record(), as a whole transaction again when the database drops it. record() updates
    the row in memory as it goes; each try starts from the row as it was."""
    before = dict(row.__dict__)

    def attempt():
        row.__dict__.update(before)
        return record(row, token, outcome)

    return transient.retrying(attempt, f"recording step {row.step_id}")


def release_claims(held: dict[int, str]) -> int:
    """Hand claims this process still executes to the broker (graceful shutdown): a fresh
    token, so the abandoned execution can no longer renew or record, and another worker
    takes the step at once. Returns how many were handed over."""
    released = 0
    for row_id, token in held.items():
        leases.release(row_id)
        fresh = str(uuid.uuid4())
        if StepRun.objects.filter(pk=row_id, status=StepStatus.RUNNING, claim_token=token).update(
            claim_token=fresh,
            claimed_until=clock.database_in(lease_seconds()),
            heartbeat_at=None,
        ):
            dispatch.send_now("execute_step", row_id, fresh)
            released += 1
    return released


# ---------------------------------------------------------------------------- recording


def record(row: StepRun, token, outcome: Outcome) -> bool:
    """Record a claimed step's outcome exactly once (the claim token is the guard)."""
    from coordinator import follow_up

    usage = outcome.usage
    fields = {
        "claim_token": None,
        "output": stored_output(outcome.output),
        "prompt_tokens": row.prompt_tokens + usage.prompt_tokens,
        "completion_tokens": row.completion_tokens + usage.completion_tokens,
        "cost_usd": row.cost_usd + usage.cost_usd,
    }
    guard = StepRun.objects.filter(pk=row.pk, status=StepStatus.RUNNING, claim_token=token)
    with transaction.atomic():
        lock_run(row)
        if isinstance(outcome, Waiting):
            fields.update(status=StepStatus.WAITING, resume_at=outcome.resume_at)
        elif isinstance(outcome, Succeeded):
            fields.update(status=StepStatus.SUCCEEDED, error="", finished_at=clock.now())
        else:
            fields.update(
                status=StepStatus.FAILED, error=outcome.error[:10_000], finished_at=clock.now()
            )
        if not guard.update(**fields):
            return False
        _assign(row, fields)
        if isinstance(outcome, Waiting):
            follow_up.after_waiting(row, outcome)
        elif isinstance(outcome, Succeeded):
            follow_up.after_success(row, outcome)
        else:
            follow_up.after_failure(row, outcome)
    return True


def _record_waiting_done(row: StepRun, outcome: Outcome) -> bool:
    """Complete a waiting step (timer elapsed, approval decided, event arrived, nested run done)."""
    from coordinator import follow_up

    succeeded = isinstance(outcome, Succeeded)
    fields = {
        "status": StepStatus.SUCCEEDED if succeeded else StepStatus.FAILED,
        "output": stored_output(outcome.output),
        "error": "" if succeeded else outcome.error,
        "finished_at": clock.now(),
    }
    with transaction.atomic():
        lock_run(row)
        if not StepRun.objects.filter(pk=row.pk, status=StepStatus.WAITING).update(**fields):
            return False
        row.refresh_from_db()  # a waiting row may be a stale copy (approvals, timers)
        if succeeded:
            follow_up.after_success(row, outcome)
        else:
            follow_up.after_failure(row, outcome)
    return True


def lock_run(row: StepRun) -> Run:
    """First in a transaction that records a step's outcome: lock the run's row and read its
    status (follow_up.run_state then returns it). Ending a run (_close) takes the same lock
    first, so whether the run has ended is decided once for the whole transaction: a
    follow-up it creates (a retry, an iteration, children, an approval, a nested run) either
    precedes the end, which then cancels it, or is not created at all. Locking the run before
    the step also keeps the lock order of _close (run, then steps): the two cannot deadlock."""
    row._run_state = (
        Run.objects.select_for_update()
        .only("status", "adaptive", "input", "revisions")
        .get(pk=row.run_id)
    )
    return row._run_state


def _assign(row: StepRun, fields: dict) -> None:
    """What was written is what the row now holds: no need to read it back."""
    for name, value in fields.items():
        setattr(row, name, value)


def complete_waiting(row: StepRun, outcome: Outcome) -> bool:
    won = _record_waiting_done(row, outcome)
    if won:
        dispatch.enqueue("advance", str(row.run_id))
    return won


def _finalize_parent(run: Run, row: StepRun, children: list[StepRun]) -> bool:
    """A parallel step whose branches are all done."""
    spec = row.spec
    failed = [c.step_id for c in children if c.status == StepStatus.FAILED]
    output = {
        "branches": {c.step_id: {"status": c.status, "output": c.output} for c in children},
        "failed": failed,
    }
    if failed and spec.get("on_failure", "fail_fast") != "continue":
        outcome: Outcome = Failed(error=f"branches failed: {', '.join(failed)}", output=output)
    else:
        outcome = Succeeded(output=output)
    return _record_waiting_done(row, outcome)


def add_children(run_id, parent: StepRun | None, children: list[ChildSpec]) -> None:
    """Insert generated steps; re-inserting the same ids (a re-delivered task) changes nothing."""
    StepRun.objects.bulk_create(
        [
            StepRun(
                run_id=run_id,
                step_id=child.step_id,
                type=child.type,
                parent=parent.step_id if parent else "",
                spec=child.spec,
                depends_on=child.depends_on,
                agent=child.agent,
                input=child.input,
            )
            for child in children
        ],
        ignore_conflicts=True,
    )


# ---------------------------------------------------------------------------- finishing


def finish_run(run: Run, rows) -> None:
    from coordinator.results import run_result

    rows = list(rows)
    top = [r for r in rows if not r.parent]
    failed = [r for r in top if r.status == StepStatus.FAILED]
    status = RunStatus.FAILED if failed else RunStatus.SUCCEEDED
    result = run_result(run, rows)
    error = "; ".join(
        f"{r.step_id}: {r.error.splitlines()[0] if r.error else 'failed'}" for r in failed
    )
    _close(run, status, result, error)


def _close(run: Run, status: str, result: dict | None, error: str = "") -> bool:
    result = stored_output(result)
    usage = StepRun.objects.filter(run=run).aggregate(
        prompt_tokens=Sum("prompt_tokens"),
        completion_tokens=Sum("completion_tokens"),
        cost_usd=Sum("cost_usd"),
    )
    usage = {k: v or 0 for k, v in usage.items()}
    with transaction.atomic():
        won = Run.objects.filter(pk=run.pk, status__in=[*RUN_ACTIVE, RunStatus.PAUSED]).update(
            status=status,
            result=result,
            error=error[:10_000],
            usage=usage,
            finished_at=clock.now(),
        )
        if not won:
            return False
        if status != RunStatus.SUCCEEDED:
            StepRun.objects.filter(
                run=run, status__in=[StepStatus.PENDING, StepStatus.WAITING]
            ).update(status=StepStatus.CANCELLED, finished_at=clock.now())
            _cancel_open_items(run)
        data = {"status": status, "usage": usage}
        if result:
            data["answer"] = (result.get("answer") or "")[:2000]
            data["failed_agents"] = result.get("failed_agents", [])
        if error:
            data["error"] = error[:2000]
        emit(run.id, f"run.{status}", data=data)
        _after_close(run, status, result, error)
    return True


def _cancel_open_items(run: Run) -> None:
    """Inbox items of an ended run are cancelled, and say so: open inboxes drop them live."""
    items = list(Approval.objects.filter(run=run, status="pending").select_related("step_run"))
    Approval.objects.filter(pk__in=[i.pk for i in items]).update(
        status="cancelled", decided_at=clock.now()
    )
    for item in items:
        kind = "input.received" if item.kind == "input" else "approval.decided"
        data = {"approval": str(item.pk), "kind": item.kind, "status": "cancelled"}
        emit(run.id, kind, step=item.step_run.step_id, data={**data, "by": None})


def _after_close(run: Run, status: str, result: dict | None, error: str) -> None:
    from coordinator import artifacts
    from coordinator.models import Turn

    if status == RunStatus.SUCCEEDED and result is not None and artifacts.output_spec(run):
        result = _save_artifact(run, result)
    if run.conversation_id and result and result.get("answer"):
        Turn.objects.create(
            conversation_id=run.conversation_id, run=run, role="assistant", content=result["answer"]
        )
    for child in Run.objects.filter(parent_step__run=run, status__in=RUN_ACTIVE):
        if status != RunStatus.SUCCEEDED:
            _close(child, RunStatus.CANCELLED, None, "parent run ended")
    if status in (RunStatus.SUCCEEDED, RunStatus.FAILED) and not run.parent_step_id:
        transaction.on_commit(lambda: _start_downstream(run.pk))
    if run.parent_step_id:
        parent = StepRun.objects.get(pk=run.parent_step_id)
        if status == RunStatus.SUCCEEDED:
            outcome: Outcome = Succeeded(output={**(result or {}), "run": str(run.pk)})
        else:
            outcome = Failed(error=f"nested run {status}: {error}", output={"run": str(run.pk)})
        transaction.on_commit(lambda: complete_waiting(parent, outcome))


def _start_downstream(run_id) -> None:
    """Event triggers on run.succeeded / run.failed of this run's canvas (triggers.firing)."""
    from triggers.firing import run_finished

    try:
        run_finished(run_id)
    except Exception:  # a downstream problem must not undo or fail the run that ended
        log.exception("run %s: starting downstream triggers failed", run_id)


def _save_artifact(run: Run, result: dict) -> dict:
    """The plan's `output` destination: the result saved under MEDIA_ROOT, its path recorded."""
    from coordinator import artifacts

    closed = Run.objects.select_related("canvas").get(pk=run.pk)
    try:
        extra = {"artifact": artifacts.save(closed)}
    except (artifacts.ArtifactError, OSError) as exc:
        log.warning("run %s: result not saved: %s", run.pk, exc)
        extra = {"artifact_error": str(exc)}
    result = {**result, **extra}
    Run.objects.filter(pk=run.pk).update(result=result)
    return result


def time_out(run: Run) -> None:
    from coordinator.results import run_result

    rows = list(StepRun.objects.filter(run=run, superseded=False))
    result = run_result(run, rows, partial=True)
    seconds = max_execution_seconds(run.plan)
    _close(run, RunStatus.TIMED_OUT, result, f"max execution time of {seconds:g}s exceeded")


# ---------------------------------------------------------------------------- controls


class ControlError(ValueError):
    """A control that does not apply to the run's current status."""


def pause(run: Run, user=None) -> None:
    with transaction.atomic():
        if not Run.objects.filter(pk=run.pk, status__in=RUN_ACTIVE).update(status=RunStatus.PAUSED):
            raise ControlError(f"a {run.status} run cannot be paused")
        emit(run.id, "run.paused", data={"by": getattr(user, "username", None)})


def resume(run: Run, user=None) -> None:
    with transaction.atomic():
        fresh = Run.objects.get(pk=run.pk)
        # A run paused before it started goes back to the queue, so it starts properly
        # (run.started, its deadline) instead of skipping that.
        back_to = RunStatus.RUNNING if fresh.started_at else RunStatus.QUEUED
        if not Run.objects.filter(pk=run.pk, status=RunStatus.PAUSED).update(status=back_to):
            raise ControlError(f"a {run.status} run cannot be resumed")
        emit(run.id, "run.resumed", data={"by": getattr(user, "username", None)})
        _extend_deadline_by_pause(run)
        dispatch.enqueue("advance", str(run.pk))


def _extend_deadline_by_pause(run: Run) -> None:
    """Time spent paused does not count against max_execution_time."""
    from coordinator.models import RunEvent

    paused_at = (
        RunEvent.objects.filter(run=run, type="run.paused")
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    fresh = Run.objects.get(pk=run.pk)
    if not (paused_at and fresh.deadline):
        return
    deadline = fresh.deadline + (clock.now() - paused_at)
    Run.objects.filter(pk=run.pk).update(deadline=deadline)
    seconds = (deadline - clock.now()).total_seconds()
    if seconds < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]:
        dispatch.enqueue("advance", str(run.pk), countdown=seconds + 0.05)


def cancel(run: Run, user=None) -> None:
    if not _close(
        run, RunStatus.CANCELLED, None, f"cancelled by {getattr(user, 'username', 'system')}"
    ):
        raise ControlError(f"a {run.status} run cannot be cancelled")


def intervene(run: Run, text: str, user=None) -> None:
    """Text appended to the history of every later sub-agent call of this run."""
    with transaction.atomic():
        locked = Run.objects.select_for_update().get(pk=run.pk)
        if locked.status in RUN_TERMINAL:
            raise ControlError(f"a {locked.status} run cannot take interventions")
        entry = {
            "text": text,
            "by": getattr(user, "username", None),
            "at": clock.now().isoformat(),
        }
        locked.interventions = [*locked.interventions, entry]
        locked.save(update_fields=["interventions"])
        emit(run.id, "intervention", data=entry)


def signal(run: Run, event: str, payload: dict | None = None) -> int:
    """Deliver a named event to the run's waiting `wait` steps; returns how many resumed."""
    resumed = 0
    for row in StepRun.objects.filter(
        run=run, type="wait", status=StepStatus.WAITING, superseded=False
    ):
        if row.spec.get("event") == event:
            resumed += complete_waiting(
                row, Succeeded(output={"event": event, "payload": payload or {}})
            )
    return resumed


# ---------------------------------------------------------------------------- sweeping


def sweep() -> dict:
    """Periodic repairs: expired claims re-dispatched, due timers and approvals resolved,
    deadlines enforced, runs whose enqueue was lost nudged."""
    from coordinator.approvals import expire_due

    now = clock.now()
    stats = {"reclaimed": 0, "expired_approvals": 0, "nudged": 0}
    expired = StepRun.objects.filter(
        status=StepStatus.RUNNING, claimed_until__lt=clock.database_now()
    )
    for row in expired:
        # Only a truly expired claim (by the database's clock) is re-sent, with its own token:
        # the copy runs the step only if the holder shows no sign of life by then (see _take).
        # The lease is pushed out so the step is re-sent once per lease, not once per sweep.
        if StepRun.objects.filter(
            pk=row.pk, claim_token=row.claim_token, claimed_until__lt=clock.database_now()
        ).update(claimed_until=clock.database_in(lease_seconds())):
            seen = _pushed_at(row.pk)
            stats["reclaimed"] += 1
            log.warning("re-sending %s of run %s: its claim expired", row.step_id, row.run_id)
            with transaction.atomic():
                dispatch.enqueue("execute_step", row.pk, str(row.claim_token), seen.isoformat())
    stats["expired_approvals"] = expire_due(now)
    stale = now - timedelta(seconds=5)
    active = Run.objects.filter(status__in=RUN_ACTIVE).filter(
        Q(deadline__lte=now)
        | Q(status=RunStatus.QUEUED, created__lte=stale)
        | Q(status__in=RUN_ACTIVE)
    )
    for run_id in active.values_list("pk", flat=True)[:500]:
        stats["nudged"] += 1
        try:
            advance(run_id)
        except IntegrityError:
            log.exception("sweep could not advance run %s", run_id)
    return stats


def _pushed_at(row_id: int) -> datetime:
    """When (database time) the sweeper pushed this claim's lease out: a holder alive after
    that moment renews with a later heartbeat, and the re-sent copy stands down."""
    until = StepRun.objects.values_list("claimed_until", flat=True).get(pk=row_id)
    return until - timedelta(seconds=lease_seconds())


_sweeper_started = threading.Event()


def start_sweeper(interval: float | None = None) -> None:
    """A background thread that sweeps every few seconds (embedded mode and each worker)."""
    if _sweeper_started.is_set():
        return
    _sweeper_started.set()
    every = interval or float(getattr(settings, "BATON_SWEEP_SECONDS", 5))

    def loop():
        from django.db import close_old_connections

        while True:
            threading.Event().wait(every)
            if not settings.BATON_SWEEPER:
                continue  # switched off at run time (the test suite does this)
            if shutdown.draining():
                return  # a worker going away repairs nothing; the others do
            try:
                close_old_connections()
                sweep()
            except TRANSIENT as exc:
                log.warning("sweep: database unavailable (%s); next sweep retries", exc)
                transient.reset_connection()
            except Exception:
                log.exception("sweep failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, daemon=True, name="baton-sweeper").start()


def step_context(run: Run, rows: list[StepRun]) -> dict:
    from coordinator.context import expression_context

    return expression_context(run, rows)


__all__ = [
    "STEP_DONE",
    "STEP_TERMINAL",
    "add_children",
    "advance",
    "cancel",
    "complete_waiting",
    "execute_step",
    "intervene",
    "pause",
    "record",
    "resume",
    "signal",
    "start_run",
    "sweep",
]
