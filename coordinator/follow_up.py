"""What follows a recorded outcome, inside the recording transaction: events, retries with
backoff, fallbacks, loop iterations, condition branches, approvals, children, nested runs."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from django.conf import settings

from coordinator import clock, dispatch
from coordinator.events import emit, emit_many
from coordinator.expressions import ExpressionError, is_true
from coordinator.models import RUN_TERMINAL, Run, StepRun, StepStatus
from coordinator.outcomes import Failed, Succeeded, Waiting

RETRYING_POLICIES = {"retry_once", "retry_with_fallback"}
STOP_SIBLINGS_POLICIES = {"fail_fast", "retry_once", "retry_with_fallback"}


def backoff_seconds(attempt: int) -> float:
    base = float(getattr(settings, "BATON_RETRY_BACKOFF_SECONDS", 1.0))
    return min(base * 2 ** (attempt - 1), 300.0)


def duration_ms(row: StepRun) -> int | None:
    if row.started_at and row.finished_at:
        return int((row.finished_at - row.started_at).total_seconds() * 1000)
    return None


def preview(output) -> str:
    from coordinator.phases.synthesis import output_text

    return output_text(output)[:500]


def run_state(row: StepRun) -> Run:
    """The run's status and adaptive settings, read once per recorded outcome (under the
    run's lock: see engine.lock_run)."""
    state = getattr(row, "_run_state", None)
    if state is None:
        state = Run.objects.only("status", "adaptive", "input", "revisions").get(pk=row.run_id)
        row._run_state = state
    return state


def run_ended(row: StepRun) -> bool:
    """A step can finish after its run did (a timeout, a cancel): then nothing follows it."""
    return run_state(row).status in RUN_TERMINAL


# ---------------------------------------------------------------------------- success


def wake_runs_waiting_for_agent(row: StepRun) -> None:
    """A slot of a concurrency-limited agent freed: let other runs' held-back steps go."""
    from coordinator.limits import runs_waiting_for

    if row.type == "agent" and row.agent:
        for run_id in runs_waiting_for(row.agent, except_run=row.run_id):
            dispatch.enqueue("advance", run_id)


def after_success(row: StepRun, outcome: Succeeded) -> None:
    wake_runs_waiting_for_agent(row)
    data = {"attempt": row.attempt, "duration_ms": duration_ms(row), "preview": preview(row.output)}
    where = {"step": row.step_id, "agent": row.agent}
    events = [("step.succeeded", {**where, "data": data})]
    if row.type == "agent":
        usage = {"tokens": row.prompt_tokens + row.completion_tokens, "cost_usd": row.cost_usd}
        events.insert(0, ("agent.succeeded", {**where, "data": {**data, **usage}}))
    emit_many(row.run_id, events)
    for step_id in outcome.skip:
        skip_pending(row.run_id, step_id, f"branch not taken at {row.step_id}")
    if run_ended(row):
        return
    loop = row.spec.get("loop")
    if loop:
        _maybe_iterate(row, loop)
    else:
        from coordinator.adaptive import on_step_succeeded

        on_step_succeeded(row)  # runs after this transaction's dependants could start


def _maybe_iterate(row: StepRun, loop: dict) -> None:
    from coordinator.context import expression_context

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
    _next_attempt(row, iteration=row.iteration + 1, resume_at=None)


# ---------------------------------------------------------------------------- failure


def after_failure(row: StepRun, outcome: Failed) -> None:
    wake_runs_waiting_for_agent(row)
    spec = row.spec
    policy = spec.get("failure_handling")
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
    ended = run_ended(row)
    if outcome.retryable and not ended and _retry(row, policy, error):
        return
    emit(
        row.run_id,
        "step.failed",
        step=row.step_id,
        agent=row.agent,
        data={"attempt": row.attempt, "error": error},
    )
    _stop_siblings_if_needed(row, policy)
    if not ended:
        _adaptive_trigger(row)


def _retry(row: StepRun, policy: str | None, error: str) -> bool:
    spec = row.spec
    if policy is not None:  # a coordinator's stage
        retries = 1 if policy in RETRYING_POLICIES else 0
    else:
        retries = int(spec.get("retries", 0))
    used_fallbacks = int(spec.get("fallbacks_used", 0))
    plain_attempts = row.attempt - used_fallbacks
    if plain_attempts <= retries:
        if not within_budget(row, row.agent):
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
        _next_attempt(
            row, iteration=row.iteration, resume_at=clock.now() + timedelta(seconds=delay)
        )
        dispatch.enqueue("advance", str(row.run_id), countdown=delay)
        return True
    fallback = _next_fallback(row, policy)
    if fallback and within_budget(row, fallback):
        emit(
            row.run_id,
            "agent.fallback",
            step=row.step_id,
            agent=fallback,
            data={"from": row.agent, "to": fallback, "error": error},
        )
        spec = {**spec, "agent": fallback, "fallbacks_used": used_fallbacks + 1}
        _next_attempt(row, iteration=row.iteration, resume_at=None, spec=spec, agent=fallback)
        dispatch.enqueue("advance", str(row.run_id))
        return True
    return False


def _next_fallback(row: StepRun, policy: str | None) -> str | None:
    spec = row.spec
    if policy is not None and policy != "retry_with_fallback":
        return None
    candidates = list(spec.get("fallbacks", []))
    if spec.get("fallback"):
        candidates.insert(0, spec["fallback"])
    tried = set(
        StepRun.objects.filter(run_id=row.run_id, step_id=row.step_id).values_list(
            "agent", flat=True
        )
    )
    return next((c for c in candidates if c not in tried), None)


def within_budget(row: StepRun, agent: str) -> bool:
    """The dispatch budget stops loops: the same agent with the same query, and all dispatches."""
    budget = row.spec.get("budget") or {}
    default = getattr(settings, "BATON_MAX_SAME_DISPATCHES", 3)
    # Retries a plan step asks for explicitly are honoured; the budget stops everything else.
    default = max(default, int(row.spec.get("retries", 0)) + 1)
    same_limit = int(budget.get("max_dispatches", default))
    total_limit = int(budget.get("max_total_dispatches", 10_000))
    agents = StepRun.objects.filter(run_id=row.run_id, type="agent")
    same = sum(
        1
        for r in agents.filter(agent=agent).only("spec")
        if r.spec.get("query") == row.spec.get("query")
    )
    return same < same_limit and agents.count() < total_limit


def _next_attempt(
    row: StepRun, *, iteration: int, resume_at, spec: dict | None = None, agent: str | None = None
) -> StepRun:
    StepRun.objects.filter(pk=row.pk).update(superseded=True)
    return StepRun.objects.create(
        run_id=row.run_id,
        step_id=row.step_id,
        attempt=row.attempt + 1,
        iteration=iteration,
        type=row.type,
        parent=row.parent,
        spec=spec or row.spec,
        depends_on=row.depends_on,
        agent=agent if agent is not None else row.agent,
        input=row.input,
        resume_at=resume_at,
    )


def _stop_siblings_if_needed(row: StepRun, policy: str | None) -> None:
    if not row.parent or row.spec.get("isolated"):  # conditional stages are alternatives
        return
    parent = StepRun.objects.filter(run_id=row.run_id, step_id=row.parent, superseded=False).first()
    if parent is None:
        return
    stop = (parent.type == "coordinator" and policy in STOP_SIBLINGS_POLICIES) or (
        parent.type == "parallel" and parent.spec.get("on_failure", "fail_fast") == "fail_fast"
    )
    if stop:
        for sibling in StepRun.objects.filter(
            run_id=row.run_id, parent=row.parent, superseded=False, status=StepStatus.PENDING
        ):
            skip_pending(row.run_id, sibling.step_id, f"stopped after {row.step_id} failed")
    fail_fast = (parent.type == "coordinator" and policy == "fail_fast") or (
        parent.type == "parallel" and parent.spec.get("on_failure", "fail_fast") == "fail_fast"
    )
    if fail_fast:
        for sibling in StepRun.objects.filter(
            run_id=row.run_id,
            parent=row.parent,
            superseded=False,
            status__in=(StepStatus.RUNNING, StepStatus.WAITING),
        ).exclude(pk=row.pk):
            cancel_running(sibling, f"cancelled after {row.step_id} failed (fail_fast)")


def _adaptive_trigger(row: StepRun) -> None:
    from coordinator.adaptive import on_step_failed

    on_step_failed(row)


def cancel_running(row: StepRun, reason: str) -> None:
    """Stop a sibling that is already running or waiting. Its claim is withdrawn, so whatever
    its execution returns later is discarded (record() is guarded by the claim); a person's
    pending approval for it is withdrawn and a nested run it started is cancelled."""
    from coordinator.models import Approval, Run

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
    from coordinator.engine import ControlError, cancel

    for child in Run.objects.filter(parent_step=row, status__in=("queued", "running", "waiting")):
        with contextlib.suppress(ControlError):  # it ended on its own meanwhile
            cancel(child)


def skip_pending(run_id, step_id: str, reason: str) -> None:
    updated = StepRun.objects.filter(
        run_id=run_id, step_id=step_id, superseded=False, status=StepStatus.PENDING
    ).update(status=StepStatus.SKIPPED, error=reason, finished_at=clock.now())
    if updated:
        emit(run_id, "step.skipped", step=step_id, data={"reason": reason})


# ---------------------------------------------------------------------------- waiting


def after_waiting(row: StepRun, outcome: Waiting) -> None:
    from coordinator import engine

    if run_ended(row):  # the run ended while this step ran: nothing is waited for any more
        StepRun.objects.filter(pk=row.pk, status=StepStatus.WAITING).update(
            status=StepStatus.CANCELLED, finished_at=clock.now()
        )
        return
    if outcome.children:
        engine.add_children(row.run_id, row, outcome.children)
    if outcome.approval:
        _request_approval(row, outcome.approval)
    if outcome.nested_run:
        _start_nested(row, outcome.nested_run)
    if outcome.resume_at:
        delay = (outcome.resume_at - clock.now()).total_seconds()
        if delay < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2:
            dispatch.enqueue("advance", str(row.run_id), countdown=max(delay, 0) + 0.02)
        # longer waits are picked up by the sweeper: no ETA outlives the visibility timeout


def _request_approval(row: StepRun, spec: dict) -> None:
    from coordinator.approvals import request

    request(row, spec)


def _start_nested(row: StepRun, spec: dict) -> None:
    from canvas.models import Canvas
    from coordinator import engine
    from coordinator.run_input import InvalidRunInput

    run = Run.objects.select_related("created_by").get(pk=row.run_id)
    canvas = Canvas.objects.get(pk=spec["canvas_id"])
    try:
        engine.start_run(
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
        engine._record_waiting_done(row, failed)
