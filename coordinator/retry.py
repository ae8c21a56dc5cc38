"""Retry a failed run from the step that failed (issue 13, the runs page).

A new run of the same pinned plan, input, query and conversation, linked to the old one
(`Run.retried_from`), whose steps that already succeeded start out succeeded with the old
outputs (their agents are not called again, their approvals not asked again). Everything
from the failed step on runs afresh. Steps skipped only because of decisions that are
reused (a condition's branch not taken, a `when` that was false) stay skipped; steps
skipped because something upstream failed run again.

Deciding what to reuse is pure (`reusable`); `retry` writes the new run through
`engine.start_run` and marks the reused steps before the first advance (which is only
sent when the transaction commits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from canvas.plan import Plan
from coordinator import engine
from coordinator.models import Run, RunStatus, StepRun, StepStatus
from coordinator.single_step import TEST_TRIGGER
from coordinator.transport.events import emit_many

RETRYABLE = (RunStatus.FAILED, RunStatus.TIMED_OUT)
# Skip reasons that follow from reused, successful steps (engine/recording and engine/core/readiness wording).
KEPT_SKIP_REASONS = ("branch not taken", "condition false")
PREVIEW_CHARS = 500


class NotRetryable(Exception):
    """The run cannot be retried (it did not fail, or it is a nested run)."""


@dataclass(frozen=True)
class Outcome:
    step_id: str
    status: str
    error: str
    depends_on: tuple[str, ...]


def reusable(outcomes: Iterable[Outcome]) -> set[str]:
    """The top-level steps whose outcome a retry keeps: every success, and the skips that
    follow from kept steps only."""
    by_id = {o.step_id: o for o in outcomes}
    kept = {o.step_id for o in by_id.values() if o.status == StepStatus.SUCCEEDED}
    for o in by_id.values():
        if o.status == StepStatus.SKIPPED and o.error.startswith(KEPT_SKIP_REASONS):
            kept.add(o.step_id)
    grown = True
    while grown:  # "upstream skipped" chains hanging off kept skips
        grown = False
        for o in by_id.values():
            if (
                o.step_id not in kept
                and o.status == StepStatus.SKIPPED
                and o.error.startswith("upstream skipped")
                and o.depends_on
                and all(d in kept and by_id[d].status == StepStatus.SKIPPED for d in o.depends_on)
            ):
                kept.add(o.step_id)
                grown = True
    return kept


def retry(run: Run, *, user) -> Run:
    """Start the retry of `run`; raises NotRetryable."""
    if run.status not in RETRYABLE:
        raise NotRetryable(
            f"only failed or timed-out runs can be retried; this one is {run.status}"
        )
    if run.parent_step_id is not None:
        raise NotRetryable("a nested run is retried through the run that started it")
    if run.trigger == TEST_TRIGGER:
        raise NotRetryable("a step test is run again from the step's Test step, not retried")
    rows = {
        row.step_id: row
        for row in StepRun.objects.filter(run=run, parent="", superseded=False).order_by("attempt")
    }  # the latest attempt of each step wins
    keep = reusable(
        Outcome(r.step_id, r.status, r.error, tuple(r.depends_on or ())) for r in rows.values()
    )
    with transaction.atomic():
        new = engine.start_run(
            run.canvas,
            user=user,
            query=run.query,
            input=run.input,
            history=run.history,
            conversation=run.conversation,
            trigger="retry",
            version=run.version,
            plan=Plan.model_validate(run.plan),
            adaptive=run.adaptive,
        )
        Run.objects.filter(pk=new.pk).update(retried_from=run)
        new.retried_from = run
        events = []
        for step_id in sorted(keep, key=list(rows).index):
            old = rows[step_id]
            StepRun.objects.filter(run=new, step_id=step_id, superseded=False).update(
                status=old.status,
                input=old.input,
                output=old.output,
                error=old.error,
                agent=old.agent,
                started_at=old.started_at,
                finished_at=old.finished_at,
            )
            data = {"reused_from": str(run.pk), "attempt": 1}
            if old.status == StepStatus.SUCCEEDED:
                data["preview"] = _preview(old.output)
                events.append(
                    ("step.succeeded", {"step": step_id, "agent": old.agent, "data": data})
                )
            else:
                events.append(
                    ("step.skipped", {"step": step_id, "data": {**data, "reason": old.error}})
                )
        if events:
            emit_many(new.pk, events)
    return new


def _preview(output) -> str:
    if output is None:
        return ""
    text = output if isinstance(output, str) else str(output)
    return text[:PREVIEW_CHARS]
