"""Recording a step's outcome and what follows it, as one unit (docs/architecture.md).

`record()` stores a claimed step's outcome with a conditional UPDATE on its claim token and,
in the same transaction, decides what follows: events, retries with backoff, fallbacks,
loop iterations, condition branches, approvals, children, nested runs and adaptive
revisions (adaptive.py). Waiting steps are completed here too (timers, decisions, nested
runs), and a run ends here (`close_run`): what ends a run also completes the step that
waited for it."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from canvas.models import Canvas
from coordinator import artifacts, clock
from coordinator.bounded import stored_output
from coordinator.context import expression_context
from coordinator.engine import adaptive, store
from coordinator.engine.core import policy
from coordinator.engine.core.outcomes import Failed, Outcome, Succeeded, Waiting
from coordinator.engine.core.results import preview, run_result
from coordinator.engine.core.state import EngineState
from coordinator.engine.store import ControlError
from coordinator.expressions import ExpressionError, is_true
from coordinator.models import RUN_ACTIVE, Approval, Run, RunStatus, StepRun, StepStatus, Turn
from coordinator.run_input import InvalidRunInput
from coordinator.transient import TRANSIENT
from coordinator.transport import dispatch, events
from coordinator.transport.events import emit, emit_many
from triggers.firing import run_finished

log = logging.getLogger(__name__)
T = TypeVar("T")


def backoff_seconds(attempt: int) -> float:
    return policy.backoff_seconds(
        attempt, float(getattr(settings, "BATON_RETRY_BACKOFF_SECONDS", 1.0))
    )


def duration_ms(row: StepRun) -> int | None:
    if row.started_at and row.finished_at:
        return int((row.finished_at - row.started_at).total_seconds() * 1000)
    return None


# ---------------------------------------------------------------------------- recording


def record(row: StepRun, token, outcome: Outcome) -> bool:
    """Record a claimed step's outcome exactly once (the claim token is the guard)."""
    return _record(row, token, outcome, None)


#: what record_then returns when its follow-up did not run in a committed transaction
NOT_CONTINUED = object()


def record_then(
    row: StepRun,
    token,
    outcome: Outcome,
    then: Callable[[], T],
    *,
    redone_whole: bool = False,
    lock_wait_ms: int | None = None,
) -> T | object:
    """record(), and `then` in the same transaction once the outcome and what follows it are
    recorded (the runner claims the next step there), its events joining the step's: one
    transaction and one batch of events per step. Returns `then`'s result, or NOT_CONTINUED
    when the record was lost (nothing follows) or `then` failed — the outcome is then recorded
    again on its own and `then` is left to the caller. `redone_whole`: the caller's
    transaction is redone as a whole when anything in it fails, so no savepoint is needed
    around this record (two statements fewer) and a failure raises. `lock_wait_ms`: the
    transaction's lock waits are bounded first (PostgreSQL; see store.lock_run_and_record)."""
    before = dict(row.__dict__)
    result: list = []
    try:
        _record(
            row,
            token,
            outcome,
            lambda: result.append(then()),
            savepoint=not redone_whole,
            lock_wait_ms=lock_wait_ms,
        )
        return result[0] if result else NOT_CONTINUED
    except TRANSIENT:
        raise  # the caller repeats the whole transaction
    except Exception:
        if redone_whole:
            raise
        log.exception("step %s of run %s: what follows its record failed", row.step_id, row.run_id)
        row.__dict__.update(before)
    _record(row, token, outcome, None)
    return NOT_CONTINUED


def record_in_advance(row: StepRun, run: Run, outcome: Outcome) -> bool:
    """Record the outcome of a waiting step executed by an advance, in that advance's
    transaction: the run is `run` as locked there (the lock order holds: run, then steps);
    the row is recorded from waiting, with no claim (runner._synthesise_here)."""
    row._run_state = run
    return _record(row, None, outcome, None, savepoint=False, lock_held=True, from_waiting=True)


def record_joined(row: StepRun, token, outcome: Outcome, locked: Run) -> bool:
    """Record a claimed step's outcome in the transaction of a sibling's record, which holds
    the run's lock (`locked`, as read there): steps of one run that finish together on this
    process's threads are recorded by one transaction (runner._FanIn). What follows them is
    decided once, by that transaction's advance."""
    row._run_state = locked
    return _record(row, token, outcome, None, savepoint=False, lock_held=True)


def _record(
    row: StepRun,
    token,
    outcome: Outcome,
    then,
    savepoint: bool = True,
    lock_wait_ms=None,
    lock_held: bool = False,
    from_waiting: bool = False,
) -> bool:
    usage = outcome.usage
    fields = {
        "claim_token": None,
        "output": stored_output(outcome.output),
        "prompt_tokens": row.prompt_tokens + usage.prompt_tokens,
        "completion_tokens": row.completion_tokens + usage.completion_tokens,
        "cost_usd": row.cost_usd + usage.cost_usd,
    }
    if isinstance(outcome, Waiting):
        fields.update(status=StepStatus.WAITING, resume_at=outcome.resume_at)
    elif isinstance(outcome, Succeeded):
        fields.update(status=StepStatus.SUCCEEDED, error="", finished_at=clock.now())
    else:
        fields.update(
            status=StepStatus.FAILED, error=outcome.error[:10_000], finished_at=clock.now()
        )
    with transaction.atomic(savepoint=savepoint), events.batch(row.run_id):
        if lock_held:  # the caller's transaction holds the run's lock: the step's UPDATE alone
            if from_waiting:
                where = {"status": StepStatus.WAITING, "superseded": False}
            else:
                where = {"status": StepStatus.RUNNING, "claim_token": token}
            won = StepRun.objects.filter(pk=row.pk, **where).update(**fields)
        else:  # the run's lock first, then the step's conditional UPDATE (one round trip)
            won = store.lock_run_and_record(row, token, fields, lock_wait_ms)
        if not won:
            return False
        _assign(row, fields)
        if isinstance(outcome, Waiting):
            after_waiting(row, outcome)
        elif isinstance(outcome, Succeeded):
            after_success(row, outcome)
        else:
            after_failure(row, outcome)
        if then is not None:
            then()
    return True


def record_waiting_done(row: StepRun, outcome: Outcome) -> bool:
    """Complete a waiting step (timer elapsed, approval decided, event arrived, nested run done)."""
    succeeded = isinstance(outcome, Succeeded)
    fields = {
        "status": StepStatus.SUCCEEDED if succeeded else StepStatus.FAILED,
        "output": stored_output(outcome.output),
        "error": "" if succeeded else outcome.error,
        "finished_at": clock.now(),
    }
    with transaction.atomic():
        store.lock_run(row)
        if not StepRun.objects.filter(pk=row.pk, status=StepStatus.WAITING).update(**fields):
            return False
        row.refresh_from_db()  # a waiting row may be a stale copy (approvals, timers)
        if succeeded:
            after_success(row, outcome)
        else:
            after_failure(row, outcome)
    return True


def _assign(row: StepRun, fields: dict) -> None:
    """What was written is what the row now holds: no need to read it back."""
    for name, value in fields.items():
        setattr(row, name, value)


def complete_waiting(row: StepRun, outcome: Outcome) -> bool:
    won = record_waiting_done(row, outcome)
    if won:
        dispatch.enqueue("advance", str(row.run_id))
    return won


def finalize_parent(run: Run, row: StepRun, children: list[StepRun]) -> bool:
    """A parallel step whose branches are all done."""
    failed = [c.step_id for c in children if c.status == StepStatus.FAILED]
    output = {
        "branches": {c.step_id: {"status": c.status, "output": c.output} for c in children},
        "failed": failed,
    }
    if policy.parallel_fails(row.spec, failed):
        outcome: Outcome = Failed(error=f"branches failed: {', '.join(failed)}", output=output)
    else:
        outcome = Succeeded(output=output)
    return record_waiting_done(row, outcome)


# ---------------------------------------------------------------------------- success


def after_success(row: StepRun, outcome: Succeeded) -> None:
    store.wake_runs_waiting_for_agent(row)
    data = {"attempt": row.attempt, "duration_ms": duration_ms(row), "preview": preview(row.output)}
    where = {"step": row.step_id, "agent": row.agent}
    events = [("step.succeeded", {**where, "data": data})]
    if row.type == "agent":
        usage = {"tokens": row.prompt_tokens + row.completion_tokens, "cost_usd": row.cost_usd}
        events.insert(0, ("agent.succeeded", {**where, "data": {**data, **usage}}))
    emit_many(row.run_id, events)
    for step_id in outcome.skip:
        store.skip_pending(row.run_id, step_id, f"branch not taken at {row.step_id}")
    if store.run_ended(row):
        return
    loop = row.spec.get("loop")
    if loop:
        _maybe_iterate(row, loop)
    else:
        adaptive.on_step_succeeded(row)  # runs after this transaction's dependants could start


def _maybe_iterate(row: StepRun, loop: dict) -> None:
    run = Run.objects.get(pk=row.run_id)
    rows = list(StepRun.objects.filter(run=run, superseded=False))
    ctx = expression_context(run, rows)
    ctx["step"] = {"output": row.output, "status": row.status, "iteration": row.iteration}
    try:
        done = is_true(loop["until"], ctx)
    except ExpressionError as exc:
        done = True
        emit(
            row.run_id,
            "step.failed",
            step=row.step_id,
            data={"error": f"loop condition error: {exc}", "loop_stopped": True},
        )
    if done or row.iteration >= int(loop.get("max_iterations", 3)):
        return
    store.next_attempt(row, iteration=row.iteration + 1, resume_at=None)


# ---------------------------------------------------------------------------- failure


def after_failure(row: StepRun, outcome: Failed) -> None:
    store.wake_runs_waiting_for_agent(row)
    spec = row.spec
    failure_policy = spec.get("failure_handling")
    error = outcome.error.splitlines()[0][:500] if outcome.error else "failed"
    is_agent = row.type == "agent"
    if is_agent:
        emit(
            row.run_id,
            "agent.failed",
            step=row.step_id,
            agent=row.agent,
            data={"attempt": row.attempt, "error": error, "duration_ms": duration_ms(row)},
        )
    ended = store.run_ended(row)
    if outcome.retryable and not ended and _retry(row, failure_policy, error):
        return
    emit(
        row.run_id,
        "step.failed",
        step=row.step_id,
        agent=row.agent,
        data={"attempt": row.attempt, "error": error},
    )
    _stop_siblings_if_needed(row, failure_policy)
    if not ended:
        adaptive.on_step_failed(row)


def _retry(row: StepRun, failure_policy: str | None, error: str) -> bool:
    spec = row.spec
    retries = policy.retries_allowed(failure_policy, spec)
    state = EngineState.of(row)
    used_fallbacks = state.fallbacks_used
    plain_attempts = row.attempt - used_fallbacks
    if plain_attempts <= retries:
        if not store.within_budget(row, row.agent):
            return False
        delay = backoff_seconds(plain_attempts)
        if row.type == "agent":
            emit(
                row.run_id,
                "agent.retrying",
                step=row.step_id,
                agent=row.agent,
                data={"attempt": row.attempt + 1, "delay_seconds": delay, "error": error},
            )
        store.next_attempt(
            row, iteration=row.iteration, resume_at=clock.now() + timedelta(seconds=delay)
        )
        dispatch.enqueue("advance", str(row.run_id), countdown=delay)
        return True
    candidates = policy.fallback_candidates(failure_policy, spec)
    fallback = (
        policy.next_fallback(failure_policy, spec, store.agents_tried(row)) if candidates else None
    )
    if fallback and store.within_budget(row, fallback):
        emit(
            row.run_id,
            "agent.fallback",
            step=row.step_id,
            agent=fallback,
            data={"from": row.agent, "to": fallback, "error": error},
        )
        store.next_attempt(
            row,
            iteration=row.iteration,
            resume_at=None,
            spec={**spec, "agent": fallback},
            agent=fallback,
            state=state.model_copy(update={"fallbacks_used": used_fallbacks + 1}),
        )
        dispatch.enqueue("advance", str(row.run_id))
        return True
    return False


def _stop_siblings_if_needed(row: StepRun, failure_policy: str | None) -> None:
    if not row.parent or row.spec.get("isolated"):  # conditional stages are alternatives
        return
    parent = StepRun.objects.filter(run_id=row.run_id, step_id=row.parent, superseded=False).first()
    if parent is None:
        return
    if policy.stops_pending_siblings(parent.type, parent.spec, failure_policy):
        for sibling in StepRun.objects.filter(
            run_id=row.run_id, parent=row.parent, superseded=False, status=StepStatus.PENDING
        ):
            store.skip_pending(row.run_id, sibling.step_id, f"stopped after {row.step_id} failed")
    if policy.cancels_running_siblings(parent.type, parent.spec, failure_policy):
        for sibling in StepRun.objects.filter(
            run_id=row.run_id,
            parent=row.parent,
            superseded=False,
            status__in=(StepStatus.RUNNING, StepStatus.WAITING),
        ).exclude(pk=row.pk):
            cancel_running(sibling, f"cancelled after {row.step_id} failed (fail_fast)")


def cancel_running(row: StepRun, reason: str) -> None:
    """Stop a sibling that is already running or waiting. Its claim is withdrawn, so whatever
    its execution returns later is discarded (record() is guarded by the claim); a person's
    pending approval for it is withdrawn and a nested run it started is cancelled."""
    cancelled = StepRun.objects.filter(
        pk=row.pk, superseded=False, status__in=(StepStatus.RUNNING, StepStatus.WAITING)
    ).update(
        status=StepStatus.CANCELLED,
        claim_token=None,
        claimed_until=None,
        error=reason,
        finished_at=clock.now(),
    )
    if not cancelled:
        return  # it finished (or was stopped) meanwhile
    Approval.objects.filter(step_run=row, status="pending").update(status="cancelled")
    emit(row.run_id, "step.cancelled", step=row.step_id, agent=row.agent, data={"reason": reason})
    for child in Run.objects.filter(parent_step=row, status__in=("queued", "running", "waiting")):
        with contextlib.suppress(ControlError):  # it ended on its own meanwhile
            cancel(child)


# ---------------------------------------------------------------------------- waiting


def after_waiting(row: StepRun, outcome: Waiting) -> None:
    if store.run_ended(row):  # the run ended while this step ran: nothing is waited for any more
        StepRun.objects.filter(pk=row.pk, status=StepStatus.WAITING).update(
            status=StepStatus.CANCELLED, finished_at=clock.now()
        )
        return
    if outcome.children:
        store.add_children(row.run_id, row.step_id, outcome.children)
    if outcome.approval:
        store.request_approval(row, outcome.approval)
    if outcome.nested_run:
        _start_nested(row, outcome.nested_run)
    if outcome.resume_at:
        delay = (outcome.resume_at - clock.now()).total_seconds()
        if delay < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2:
            dispatch.enqueue("advance", str(row.run_id), countdown=max(delay, 0) + 0.02)
        # longer waits are picked up by the sweeper: no ETA outlives the visibility timeout


def _start_nested(row: StepRun, spec: dict) -> None:
    run = Run.objects.select_related("created_by").get(pk=row.run_id)
    canvas = Canvas.objects.get(pk=spec["canvas_id"])
    try:
        store.start_run(
            canvas,
            user=run.created_by,
            query=spec.get("query", run.query),
            input=spec.get("input") or {},
            history=spec.get("history") or [],
            trigger="nested",
            parent_step=row,
        )
    except InvalidRunInput as exc:  # the step's input does not fit the sub-plan: fail it now
        failed = Failed(error=f"{canvas.slug} cannot start: {exc}", retryable=False)
        record_waiting_done(row, failed)


# ---------------------------------------------------------------------------- ending a run


def finish_run(run: Run, rows) -> None:
    rows = list(rows)
    top = [r for r in rows if not r.parent]
    failed = [r for r in top if r.status == StepStatus.FAILED]
    status = RunStatus.FAILED if failed else RunStatus.SUCCEEDED
    result = run_result(run, rows)
    error = "; ".join(
        f"{r.step_id}: {r.error.splitlines()[0] if r.error else 'failed'}" for r in failed
    )
    close_run(run, status, result, error)


def close_run(run: Run, status: str, result: dict | None, error: str = "") -> bool:
    result = stored_output(result)
    usage = StepRun.objects.filter(run=run).aggregate(
        prompt_tokens=Sum("prompt_tokens"),
        completion_tokens=Sum("completion_tokens"),
        cost_usd=Sum("cost_usd"),
    )
    usage = {k: v or 0 for k, v in usage.items()}
    with transaction.atomic(savepoint=False):  # inside a record, a failure undoes it all
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
            store.cancel_open_items(run)
        data = {"status": status, "usage": usage}
        if result:
            data["answer"] = (result.get("answer") or "")[:2000]
            data["failed_agents"] = result.get("failed_agents", [])
        if error:
            data["error"] = error[:2000]
        emit(run.id, f"run.{status}", data=data)
        _after_close(run, status, result, error)
    return True


def _after_close(run: Run, status: str, result: dict | None, error: str) -> None:
    if status == RunStatus.SUCCEEDED and result is not None and artifacts.output_spec(run):
        result = store.save_artifact(run, result)
    if run.conversation_id and result and result.get("answer"):
        Turn.objects.create(
            conversation_id=run.conversation_id, run=run, role="assistant", content=result["answer"]
        )
    if status != RunStatus.SUCCEEDED:  # only an end short of success cancels nested runs
        for child in Run.objects.filter(parent_step__run=run, status__in=RUN_ACTIVE):
            close_run(child, RunStatus.CANCELLED, None, "parent run ended")
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
    try:
        run_finished(run_id)
    except Exception:  # a downstream problem must not undo or fail the run that ended
        log.exception("run %s: starting downstream triggers failed", run_id)


def time_out(run: Run) -> None:
    rows = list(StepRun.objects.filter(run=run, superseded=False))
    result = run_result(run, rows, partial=True)
    seconds = store.max_execution_seconds(run.plan)
    close_run(run, RunStatus.TIMED_OUT, result, f"max execution time of {seconds:g}s exceeded")


def cancel(run: Run, user=None) -> None:
    if not close_run(
        run, RunStatus.CANCELLED, None, f"cancelled by {getattr(user, 'username', 'system')}"
    ):
        raise ControlError(f"a {run.status} run cannot be cancelled")
