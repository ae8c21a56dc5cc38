"""Adaptive runs: when a trigger fires on a step, revise the remaining plan (re-route the step to
the next-best agent); after max_revisions, escalate to a person (docs/architecture.md)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from coordinator.events import emit
from coordinator.expressions import ExpressionError, is_true
from coordinator.models import Run, StepRun, StepStatus
from coordinator.replanning import revise_with_model, revision_model

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
    from coordinator.follow_up import _next_attempt

    if row.parent:
        return  # a coordinator's stages have their own failure policy
    if isinstance(row.output, dict) and (
        row.output.get("escalation") or row.output.get("decision")
    ):
        return  # a person rejected (or let expire) the item: that decision is final
    from coordinator.follow_up import run_state

    run = run_state(row)
    if not (run.adaptive or {}).get("enabled"):
        return
    condition = trigger_fires(run, row)
    if condition is None:
        return
    limit = int((run.adaptive or {}).get("max_revisions", 5))
    if run.revisions >= limit:
        _escalate(run, row, condition, limit)
        return
    if row.type == "agent" and revision_model(run):
        # The model is asked after this transaction commits (never while it holds locks);
        # meanwhile the next attempt waits for the revision.
        waiting = _next_attempt(row, iteration=row.iteration, resume_at=None)
        StepRun.objects.filter(pk=waiting.pk).update(status=StepStatus.WAITING)
        failed_pk, waiting_pk = row.pk, waiting.pk
        transaction.on_commit(lambda: revise_with_model(failed_pk, waiting_pk, condition))
        return
    alternative = _alternative_agent(row) if row.type == "agent" else None
    if row.type == "agent" and alternative is None:
        _escalate(run, row, condition, limit)
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
        data=_reroute_data(run, row, condition, alternative),
    )
    _next_attempt(
        row, iteration=row.iteration, resume_at=None, spec=spec, agent=alternative or row.agent
    )


def _reroute_data(run: Run, row: StepRun, condition: str, alternative: str | None) -> dict:
    return {
        "revision": run.revisions + 1,
        "trigger": condition,
        "change": f"re-route {row.step_id} from {row.agent} to {alternative}"
        if alternative
        else f"retry {row.step_id}",
    }


def fall_back(run: Run, failed: StepRun, waiting: StepRun, condition: str, refused: str) -> None:
    """The model's revision could not be used: re-route the waiting attempt to an on-topic
    agent as baton/local does, or ask a person when there is none."""
    from coordinator.follow_up import _request_approval

    alternative = _alternative_agent(failed)
    if alternative is None:
        limit = int((run.adaptive or {}).get("max_revisions", 5))
        StepRun.objects.filter(pk=waiting.pk).update(spec={**waiting.spec, "escalation": True})
        _request_approval(
            waiting,
            {
                "kind": "escalation",
                "prompt": f"Step {failed.step_id} needs review: trigger `{condition}` fired "
                f"after {run.revisions} of {limit} revisions and the model's revision was "
                f"refused ({refused[:300]}). Approve to retry the step, reject to fail it.",
                "default_action": "reject",
            },
        )
        return
    Run.objects.filter(pk=run.pk).update(revisions=F("revisions") + 1)
    StepRun.objects.filter(pk=waiting.pk).update(
        spec={**waiting.spec, "agent": alternative}, agent=alternative, status=StepStatus.PENDING
    )
    data = _reroute_data(run, failed, condition, alternative) | {"model_refused": refused}
    emit(run.id, "plan.revised", step=failed.step_id, agent=alternative, data=data)


def _alternative_agent(row: StepRun) -> str | None:
    """The best untried enabled agent that is on topic twice over: its description is
    relevant to the step's query, and to what the failed agent does (a fallback does the same
    job). One shared word is not enough: a billing question about "payment history" is never
    re-routed to an agent about the history of pet breeds."""
    from canvas.models import Agent
    from coordinator.offline.router import RELEVANCE_THRESHOLD, AgentProfile, score_agents

    tried = set(
        StepRun.objects.filter(run_id=row.run_id, step_id=row.step_id).values_list(
            "agent", flat=True
        )
    )
    from coordinator.tenancy import principal

    run = Run.objects.select_related("created_by", "canvas__owner").get(pk=row.run_id)
    user = principal(run)
    # Only agents the run's user may use: another user's look-alike is never a candidate.
    usable = Agent.objects.filter(enabled=True).resolve_many(
        user, Agent.objects.filter(enabled=True).usable_by(user).values_list("slug", flat=True)
    )
    agents = [a for slug, a in sorted(usable.items()) if slug not in tried]
    if not agents:
        return None
    profiles = [
        AgentProfile(
            slug=a.slug, name=a.name, description=a.description, capabilities=list(a.capabilities)
        )
        for a in agents
    ]
    original = Agent.objects.resolve(user, row.agent)
    query = (row.spec.get("query") or run.query or "").strip()
    probes = [p for p in (query, original.description if original else "") if p]
    if not probes:
        return None
    relevant: dict[str, float] | None = None
    for probe in probes:
        scores = {s.slug: s.score for s in score_agents(probe, profiles)}
        passing = {slug for slug, score in scores.items() if score >= RELEVANCE_THRESHOLD}
        if relevant is None:
            relevant = {slug: scores[slug] for slug in passing}
        else:
            relevant = {slug: score for slug, score in relevant.items() if slug in passing}
    if not relevant:
        return None
    return max(sorted(relevant), key=lambda slug: relevant[slug])


def _escalate(run: Run, row: StepRun, condition: str, limit: int) -> None:
    from coordinator.follow_up import _next_attempt, _request_approval

    waiting = _next_attempt(
        row, iteration=row.iteration, resume_at=None, spec={**row.spec, "escalation": True}
    )
    StepRun.objects.filter(pk=waiting.pk).update(status=StepStatus.WAITING)
    _request_approval(
        waiting,
        {
            "kind": "escalation",
            "prompt": f"Step {row.step_id} needs review: trigger `{condition}` fired after "
            f"{run.revisions} of {limit} revisions ({row.error or 'no error text'}). "
            "Retry the step, edit it (agent, query) and retry, or abort it.",
            "default_action": "reject",
        },
    )
