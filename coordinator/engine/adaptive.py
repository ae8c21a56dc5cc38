"""Adaptive runs: when a trigger fires on a step, revise the remaining plan (a model's revision,
replanning.py, or a re-route to the next-best agent, rerouting.py); after max_revisions,
escalate to a person (docs/architecture.md). Runs inside the recording transaction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from coordinator.engine import store
from coordinator.engine.replanning import revise_with_model, revision_model
from coordinator.engine.rerouting import alternative_agent, escalate, reroute_data
from coordinator.expressions import ExpressionError, is_true
from coordinator.models import Run, StepRun, StepStatus
from coordinator.transport.events import emit

DEFAULT_TRIGGERS = [{"condition": "step.status == 'failed'"}]


def trigger_fires(run: Run, row: StepRun) -> str | None:
    config = run.adaptive or {}
    if not config.get("enabled") or row.parent:
        return None
    ctx = {
        "input": run.input,
        "step": {
            "id": row.step_id,
            "status": row.status,
            "output": row.output or {},
            "error": row.error,
        },
    }
    for trigger in config.get("triggers") or DEFAULT_TRIGGERS:
        try:
            if is_true(trigger["condition"], ctx):
                return trigger["condition"]
        except ExpressionError:
            continue  # e.g. step.output.confidence on an output without one
    return None


def on_step_failed(row: StepRun) -> None:
    _maybe_revise(row)


def on_step_succeeded(row: StepRun) -> None:
    _maybe_revise(row)


def _maybe_revise(row: StepRun) -> None:
    if row.parent:
        return  # a coordinator's stages have their own failure policy
    if isinstance(row.output, dict) and (
        row.output.get("escalation") or row.output.get("decision")
    ):
        return  # a person rejected (or let expire) the item: that decision is final
    run = store.run_state(row)
    if not (run.adaptive or {}).get("enabled"):
        return
    condition = trigger_fires(run, row)
    if condition is None:
        return
    limit = int((run.adaptive or {}).get("max_revisions", 5))
    if run.revisions >= limit:
        escalate(run, row, condition, limit)
        return
    if row.type == "agent" and revision_model(run):
        # The model is asked after this transaction commits (never while it holds locks);
        # meanwhile the next attempt waits for the revision.
        waiting = store.next_attempt(row, iteration=row.iteration, resume_at=None)
        StepRun.objects.filter(pk=waiting.pk).update(status=StepStatus.WAITING)
        failed_pk, waiting_pk = row.pk, waiting.pk
        transaction.on_commit(lambda: revise_with_model(failed_pk, waiting_pk, condition))
        return
    alternative = alternative_agent(row) if row.type == "agent" else None
    if row.type == "agent" and alternative is None:
        escalate(run, row, condition, limit)
        return
    Run.objects.filter(pk=run.pk).update(revisions=F("revisions") + 1)
    spec = dict(row.spec)
    if alternative:
        spec["agent"] = alternative
    emit(
        run.id,
        "plan.revised",
        step=row.step_id,
        agent=alternative or row.agent,
        data=reroute_data(run, row, condition, alternative),
    )
    store.next_attempt(
        row, iteration=row.iteration, resume_at=None, spec=spec, agent=alternative or row.agent
    )
