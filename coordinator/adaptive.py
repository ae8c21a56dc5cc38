"""Adaptive runs: when a trigger fires on a step, revise the remaining plan (re-route the step to
the next-best agent); after max_revisions, escalate to a person (DESIGN §7)."""

from __future__ import annotations

from django.db.models import F

from coordinator.events import emit
from coordinator.expressions import ExpressionError, is_true
from coordinator.models import Run, StepRun, StepStatus

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
    alternative = _alternative_agent(row) if row.type == "agent" else None
    if run.revisions >= limit or (row.type == "agent" and alternative is None):
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
        data={
            "revision": run.revisions + 1,
            "trigger": condition,
            "change": f"re-route {row.step_id} from {row.agent} to {alternative}"
            if alternative
            else f"retry {row.step_id}",
        },
    )
    _next_attempt(
        row, iteration=row.iteration, resume_at=None, spec=spec, agent=alternative or row.agent
    )


def _alternative_agent(row: StepRun) -> str | None:
    from canvas.models import Agent
    from coordinator.offline.router import AgentProfile, score_agents

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
    query = row.spec.get("query") or run.query
    original = Agent.objects.resolve(user, row.agent)
    probe = f"{query} {original.description if original else ''}".strip()
    scores = score_agents(
        probe,
        [
            AgentProfile(
                slug=a.slug,
                name=a.name,
                description=a.description,
                capabilities=list(a.capabilities),
            )
            for a in agents
        ],
    )
    best = scores[0] if scores else None
    return best.slug if best and best.score > 0.05 else None


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
