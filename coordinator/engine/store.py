"""Every conditional UPDATE and shared write of the engine (docs/architecture.md): creating
a run, claiming, skipping, next attempts, generated children, requesting an approval,
interventions. Each write that must have one winner is a conditional UPDATE; the callers
above (recording, runner, approvals) decide when to make them."""

from __future__ import annotations

import copy
import logging
import threading
import uuid
from collections import OrderedDict
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Q

from canvas import compiled
from canvas.errors import InvalidDocument, Problem
from canvas.plan import Plan
from coordinator import artifacts, clock, limits, notify, sql_rows
from coordinator.engine import statements
from coordinator.engine.core import policy
from coordinator.engine.core.outcomes import ChildSpec
from coordinator.engine.core.specs import typed_spec
from coordinator.engine.core.state import EngineState
from coordinator.models import (
    RUN_TERMINAL,
    Approval,
    ApprovalEntry,
    Run,
    StepRun,
    StepStatus,
)
from coordinator.run_input import checked_input
from coordinator.transport import dispatch
from coordinator.transport.events import emit, emit_first, emit_many

log = logging.getLogger(__name__)


def lease_seconds() -> float:
    return float(getattr(settings, "BATON_STEP_LEASE_SECONDS", 30))


# ---------------------------------------------------------------------------- runs


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
    cached = plan is None  # a compiled plan (shared, never changed): see _new_steps
    if plan is None:
        if version is None:
            raise InvalidDocument([Problem("the canvas has no saved version", field="version")])
        plan = compiled.plan_of(canvas, version)  # cached per version: versions are immutable
    input = checked_input(plan.input_schema, input or {})
    depth = parent_step.run.depth + 1 if parent_step else 0
    # No savepoint inside a caller's transaction: only database errors can be raised in here,
    # and those abort the caller's transaction anyway.
    with transaction.atomic(savepoint=False):
        # Inserted with hand-built statements (coordinator/sql_rows.py): the ORM's save and
        # bulk_create machinery cost more CPU than the statements themselves.
        run = Run(
            canvas=canvas,
            event_seq=1,  # run.queued's, inserted below without a seq UPDATE (emit_first)
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
        sql_rows.insert(run)
        steps = _new_steps(plan) if cached else None
        if steps is not None:
            steps.insert(run.pk)  # one INSERT
        elif plan.steps:
            sql_rows.insert(*_step_rows(plan, run))
        queued = {"query": query, "trigger": trigger}
        if source_trigger is not None:
            queued |= {"trigger_id": str(source_trigger.pk), "chain_depth": chain_depth}
        emit_first(run, "run.queued", data=queued)
        dispatch.enqueue("advance", str(run.id))
    return run


def _step_rows(plan: Plan, run) -> list[StepRun]:
    return [
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


_NEW_STEPS: OrderedDict[int, tuple] = OrderedDict()
_NEW_STEPS_LOCK = threading.Lock()


def _new_steps(plan: Plan) -> sql_rows.Rows | None:
    """A new run's steps, their column values prepared once per compiled plan — they depend
    on the plan alone but for the run (coordinator/sql_rows.py). Keyed by the shared plan's
    identity (compiled.plan_of), which the entry keeps alive. None when the values cannot be
    reused (a field that takes the time or a fresh default, an expression value) or the
    plan has no steps."""
    with _NEW_STEPS_LOCK:
        entry = _NEW_STEPS.get(id(plan))
        if entry is not None and entry[0] is plan:
            _NEW_STEPS.move_to_end(id(plan))
            return entry[1]
    found = None
    if plan.steps and sql_rows.constant(StepRun):
        rows = [sql_rows.values(step) for step in _step_rows(plan, None)]
        if not any(hasattr(value, "as_sql") for row in rows for value in row):
            found = sql_rows.Rows(StepRun, rows, StepRun._meta.get_field("run"))
    with _NEW_STEPS_LOCK:
        _NEW_STEPS[id(plan)] = (plan, found)
        while len(_NEW_STEPS) > compiled.SIZE:
            _NEW_STEPS.popitem(last=False)
    return found


def max_execution_seconds(plan: dict) -> float:
    limits_ = [
        s.get("config", {}).get("max_execution_time", 1800)
        for s in plan.get("steps", [])
        if s.get("type") == "coordinator"
    ]
    return (
        float(max(limits_)) if limits_ else float(getattr(settings, "BATON_RUN_MAX_SECONDS", 1800))
    )


def lock_run(row: StepRun) -> Run:
    """First in a transaction that records a step's outcome: lock the run's row and read its
    status (run_state then returns it). Ending a run (recording.close_run) takes the same lock
    first, so whether the run has ended is decided once for the whole transaction: a
    follow-up it creates (a retry, an iteration, children, an approval, a nested run) either
    precedes the end, which then cancels it, or is not created at all. Locking the run before
    the step also keeps the lock order of close_run (run, then steps): the two cannot deadlock."""
    row._run_state, _ = statements.lock_run_state(row.run_id)
    return row._run_state


def lock_run_and_record(row: StepRun, token, fields: dict, lock_wait_ms: int | None) -> int:
    """lock_run, then the record's conditional UPDATE of the step (only while it runs under
    this claim), with `lock_wait_ms` bounding the transaction's lock waits first when given:
    one round trip on PostgreSQL. Returns how many rows the UPDATE changed (0 or 1)."""
    if token is None:
        lock_run(row)
        return StepRun.objects.filter(
            pk=row.pk, status=StepStatus.RUNNING, claim_token__isnull=True
        ).update(**fields)
    where = {"id": row.pk, "status": StepStatus.RUNNING, "claim_token": token}
    row._run_state, updated = statements.lock_run_state(
        row.run_id, lock_wait_ms=lock_wait_ms, then_update=(where, fields)
    )
    return updated


def run_state(row: StepRun) -> Run:
    """The run's status and adaptive settings, read once per recorded outcome (under the
    run's lock: see lock_run)."""
    state = getattr(row, "_run_state", None)
    if state is None:
        state = Run.objects.only("status", "adaptive", "input", "revisions").get(pk=row.run_id)
        row._run_state = state
    return state


def run_ended(row: StepRun) -> bool:
    """A step can finish after its run did (a timeout, a cancel): then nothing follows it."""
    return run_state(row).status in RUN_TERMINAL


class ControlError(ValueError):
    """A control that does not apply to the run's current status."""


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


def save_artifact(run: Run, result: dict) -> dict:
    """The plan's `output` destination: the result saved under MEDIA_ROOT, its path recorded."""
    closed = Run.objects.select_related("canvas").get(pk=run.pk)
    try:
        extra = {"artifact": artifacts.save(closed)}
    except (artifacts.ArtifactError, OSError) as exc:
        log.warning("run %s: result not saved: %s", run.pk, exc)
        extra = {"artifact_error": str(exc)}
    result = {**result, **extra}
    Run.objects.filter(pk=run.pk).update(result=result)
    return result


# ---------------------------------------------------------------------------- claims


def claim_ready(
    run: Run, ready: list[StepRun], kept: list | None, rows_loaded: list[StepRun] | None = None
) -> bool:
    """Claim every ready step in one transaction, so parallel steps start together; each
    claim is still a conditional UPDATE with exactly one winner. Limits are checked inside
    the same transaction (see limits.admit). With `kept`, the last one won is handed back to
    the caller to execute instead of being enqueued. True when steps were skipped.
    Called by runner.advance, whose transaction holds the run's lock (see _lock_for_claims)."""
    siblings = {r.step_id: r for r in rows_loaded} if rows_loaded else None
    # No savepoint: the caller's transaction holds the run's lock; a failure rolls back both.
    with transaction.atomic(savepoint=False):
        won, over_budget, now = _claim(run, ready)
        held = [_held(run, row, token, now, siblings) for row, token in won]
        keep = held.pop() if held and kept is not None else None
        _hand_over(held)
    if keep:
        kept.append((keep.pk, keep.claim_token, keep))
    return over_budget


def _held(run: Run, row: StepRun, token: str, now: datetime, siblings) -> StepRun:
    """A row just claimed, as its execution in this process gets it (kept by the caller, or
    handed to one of this process's threads): not read again, its claim not taken again."""
    row.status, row.claim_token = StepStatus.RUNNING, token
    row.run = copy.copy(run)  # each execution its own: they run on different threads
    # Only a claim sets started_at: a row that had none never ran, so it has no saved
    # result to recover (outbox.recovered skips the read).
    row.first_run = row.started_at is None
    row.started_at = row.started_at or now
    row.siblings = siblings
    row.claimed_at = clock.monotonic()
    return row


def _hand_over(rows: list[StepRun]) -> None:
    """After commit: each claimed row to this process's threads with the row in memory when
    dispatch keeps the work here (runner.execute_held), else an execute_step message."""
    for row in rows:
        dispatch.enqueue("execute_step", row.pk, row.claim_token, held=row)


def add_generated(run: Run, parent_step_id: str, children: list[ChildSpec]) -> bool:
    """Steps a running step generated that are ready at once (pipeline items: no dependencies,
    no condition), inserted and claimed in one transaction under the run's lock (one commit
    per hand-over), and handed to dispatch, which runs them on this process's threads when it
    has room: no broker round trip to an `advance` first. Claimed only while the run is
    running; False when any is left for advance to decide (the run is paused or ending, or
    an agent's concurrency limit holds it back). A step no longer pending was claimed by a
    record's advance meanwhile: nothing is left for another."""
    with transaction.atomic():
        running = _lock_for_claims(run) == "running"
        add_children(run.pk, parent_step_id, children)
        if not running:
            return False
        ready = list(
            StepRun.objects.filter(
                run=run,
                step_id__in=[c.step_id for c in children],
                superseded=False,
                status=StepStatus.PENDING,
            )
        )
        won, over_budget, now = _claim(run, ready)
        _hand_over([_held(run, row, token, now, None) for row, token in won])
    return len(won) == len(ready) and not over_budget


def _lock_for_claims(run: Run) -> str | None:
    """The run's row locked before any step's claim, in the order a record and close_run
    take their locks (run, then steps): a claim that locked a step first and then waited for
    the run (its events' seqs) could deadlock with a record claiming the same step. Returns
    the run's status as of the lock."""
    return (
        Run.objects.select_for_update().filter(pk=run.pk).values_list("status", flat=True).first()
    )


def _claim(run: Run, ready: list[StepRun]) -> tuple[list[tuple[StepRun, str]], bool, datetime]:
    """Inside the caller's transaction: admit, skip what is over budget, claim the rest with
    conditional UPDATEs and emit their start events. (claims won, whether any was skipped,
    the start time)."""
    won: list[tuple[StepRun, str]] = []
    ready, over_budget = limits.admit(run, ready)
    # Timestamps after admission holds its locks: a start never predates the commit of
    # the step whose slot it took (the Gantt chart and the concurrency limit agree).
    now, lease = clock.now(), lease_seconds()
    for row, reason in over_budget:
        skip(run, row, reason)
    for row in ready:
        token = uuid.uuid4()
        if statements.update_step(
            {"id": row.pk, "status": StepStatus.PENDING, "superseded": False},
            {
                "status": StepStatus.RUNNING,
                "claim_token": token,
                "started_at": row.started_at or now,
            },
            lease_seconds=lease,
        ):
            won.append((row, str(token)))
    if won:
        emit_many(
            run.id,
            [e for row, _ in won for e in start_events(run, row)],
            current_step=won[-1][0].step_id,
        )
    return won, bool(over_budget), now


def start_events(run: Run, row: StepRun) -> list[tuple[str, dict]]:
    data = {"attempt": row.attempt, "type": row.type}
    if row.iteration > 1:
        data["iteration"] = row.iteration
    where = {"step": row.step_id, "agent": row.agent}
    events = [("step.started", {**where, "data": data})]
    if row.type == "agent":
        query = (row.spec.get("query") or run.query)[:500]
        events.append(("agent.started", {**where, "data": {"query": query}}))
    return events


def claim_for_synthesis(run: Run, row: StepRun, dispatch_it: bool = True) -> str | None:
    """A coordinator whose stages are all done is claimed again to reflect and synthesise."""
    token = uuid.uuid4()
    with transaction.atomic(savepoint=False):  # in an advance's: only database errors here
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


def take_claim(step_run_id: int, claim_token: str, resent_at: str | None) -> str | None:
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


def skip(run: Run, row: StepRun, reason: str) -> bool:
    with transaction.atomic():
        done = StepRun.objects.filter(
            pk=row.pk, status__in=[StepStatus.PENDING, StepStatus.WAITING]
        ).update(status=StepStatus.SKIPPED, error=reason, finished_at=clock.now())
        if done:
            emit(run.id, "step.skipped", step=row.step_id, agent=row.agent, data={"reason": reason})
    return bool(done)


def skip_pending(run_id, step_id: str, reason: str) -> None:
    updated = StepRun.objects.filter(
        run_id=run_id, step_id=step_id, superseded=False, status=StepStatus.PENDING
    ).update(status=StepStatus.SKIPPED, error=reason, finished_at=clock.now())
    if updated:
        emit(run_id, "step.skipped", step=step_id, data={"reason": reason})


# ---------------------------------------------------------------------------- new rows


def add_children(run_id, parent_step_id: str, children: list[ChildSpec]) -> None:
    """Insert generated steps; re-inserting the same ids (a re-delivered task) changes nothing.
    Each spec must be its step type's model (a generated spec that is not is a bug: it raises
    here instead of failing later inside an executor)."""
    for child in children:
        typed_spec(child.type, child.spec)
    StepRun.objects.bulk_create(
        [
            StepRun(
                run_id=run_id,
                step_id=child.step_id,
                type=child.type,
                parent=parent_step_id,
                spec=child.spec,
                engine_state=child.state,
                depends_on=child.depends_on,
                agent=child.agent,
                input=child.input,
            )
            for child in children
        ],
        ignore_conflicts=True,
    )


def next_attempt(
    row: StepRun,
    *,
    iteration: int,
    resume_at,
    spec: dict | None = None,
    agent: str | None = None,
    state: EngineState | None = None,
) -> StepRun:
    """The step once more: the current attempt is superseded by a new pending row, which
    inherits the spec and the engine's state unless given new ones."""
    StepRun.objects.filter(pk=row.pk).update(superseded=True)
    return StepRun.objects.create(
        run_id=row.run_id,
        step_id=row.step_id,
        attempt=row.attempt + 1,
        iteration=iteration,
        type=row.type,
        parent=row.parent,
        spec=spec or row.spec,
        engine_state=state.stored() if state is not None else row.engine_state,
        depends_on=row.depends_on,
        agent=agent if agent is not None else row.agent,
        input=row.input,
        resume_at=resume_at,
    )


def agents_tried(row: StepRun) -> set[str]:
    return set(
        StepRun.objects.filter(run_id=row.run_id, step_id=row.step_id).values_list(
            "agent", flat=True
        )
    )


def within_budget(row: StepRun, agent: str) -> bool:
    """The dispatch budget stops loops: the same agent with the same query, and all dispatches."""
    same_limit, total_limit = policy.dispatch_limits(
        row.spec, getattr(settings, "BATON_MAX_SAME_DISPATCHES", 3)
    )
    agents = StepRun.objects.filter(run_id=row.run_id, type="agent")
    same = sum(
        1
        for r in agents.filter(agent=agent).only("spec")
        if r.spec.get("query") == row.spec.get("query")
    )
    return same < same_limit and agents.count() < total_limit


def wake_runs_waiting_for_agent(row: StepRun) -> None:
    """A slot of a concurrency-limited agent freed: let other runs' held-back steps go."""
    if row.type == "agent" and row.agent:
        for run_id in limits.runs_waiting_for(row.agent, except_run=row.run_id):
            dispatch.enqueue("advance", run_id)


# ---------------------------------------------------------------------------- people


def resolve_assignee(text: str | None) -> tuple[User | None, Group | None, str | None]:
    """'alice' → user; 'group:reviewers' → group; empty → anyone with access. Third item: error."""
    text = (text or "").strip()
    if not text:
        return None, None, None
    if text.startswith("group:"):
        group = Group.objects.filter(name=text.removeprefix("group:")).first()
        return None, group, None if group else f"no group named {text.removeprefix('group:')!r}"
    user = User.objects.filter(username=text, is_active=True).first()
    return user, None, None if user else f"no active user named {text!r}"


def emit_approval_event(
    item: Approval, type: str, user, data: dict | None = None, *, actor: bool = True
) -> None:
    """The one builder of inbox item events (approval.* and input.*): the item, who acted
    (`by`, unless the event has no actor: a request) and what changed. The inbox socket
    routes them by the `approval` id."""
    who = {"by": getattr(user, "username", None)} if actor else {}
    emit(
        item.run_id,
        type,
        step=item.step_run.step_id,
        data={"approval": str(item.pk), **who, **(data or {})},
    )


def decision_event_type(item: Approval) -> str:
    return "input.received" if item.kind == "input" else "approval.decided"


def add_entry(item: Approval, action: str, user, comment: str = "", data: dict | None = None):
    ApprovalEntry.objects.create(
        approval=item,
        action=action,
        actor=user,
        comment=comment or "",
        data=data or {},
        at=clock.now(),
    )


def request_approval(row: StepRun, spec: dict) -> Approval:
    """A waiting step asks a person (called inside the recording transaction)."""
    item = Approval.objects.create(run_id=row.run_id, step_run=row, **spec)
    add_entry(item, "requested", None)
    kind = "input.requested" if item.kind == "input" else "approval.requested"
    data = {
        "kind": item.kind,
        "prompt": item.prompt,
        "assignee": item.assignee_user.username if item.assignee_user else None,
        "group": item.assignee_group.name if item.assignee_group else None,
        "required_approvals": item.required_approvals,
        "due_at": item.due_at.isoformat() if item.due_at else None,
        "form": item.form,
    }
    emit_approval_event(item, kind, None, data, actor=False)
    notify.item_requested(item)
    return item


def cancel_open_items(run: Run) -> None:
    """Inbox items of an ended run are cancelled, and say so: open inboxes drop them live."""
    items = list(Approval.objects.filter(run=run, status="pending").select_related("step_run"))
    Approval.objects.filter(pk__in=[i.pk for i in items]).update(
        status="cancelled", decided_at=clock.now()
    )
    for item in items:
        data = {"kind": item.kind, "status": "cancelled"}
        emit_approval_event(item, decision_event_type(item), None, data)
