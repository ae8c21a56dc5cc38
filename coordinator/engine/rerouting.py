"""Adaptive runs without a model's revision: re-route a step to the next-best agent, or
escalate to a person when there is none (docs/architecture.md). Used by adaptive.py and,
when a model's revision is refused, by replanning.py."""

from __future__ import annotations

from django.db.models import F

from canvas.models import Agent
from coordinator.engine import store
from coordinator.engine.core.state import EngineState
from coordinator.models import Run, StepRun, StepStatus
from coordinator.offline.router import RELEVANCE_THRESHOLD, AgentProfile, score_agents
from coordinator.tenancy import principal
from coordinator.transport.events import emit


def reroute_data(run: Run, row: StepRun, condition: str, alternative: str | None) -> dict:
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
    alternative = alternative_agent(failed)
    if alternative is None:
        limit = int((run.adaptive or {}).get("max_revisions", 5))
        escalated = EngineState.of(waiting).model_copy(update={"escalation": True})
        StepRun.objects.filter(pk=waiting.pk).update(engine_state=escalated.stored())
        store.request_approval(
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
    data = reroute_data(run, failed, condition, alternative) | {"model_refused": refused}
    emit(run.id, "plan.revised", step=failed.step_id, agent=alternative, data=data)


def alternative_agent(row: StepRun) -> str | None:
    """The best untried enabled agent that is on topic twice over: its description is
    relevant to the step's query, and to what the failed agent does (a fallback does the same
    job). One shared word is not enough: a billing question about "payment history" is never
    re-routed to an agent about the history of pet breeds."""
    tried = store.agents_tried(row)
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


def escalate(run: Run, row: StepRun, condition: str, limit: int) -> None:
    escalated = EngineState.of(row).model_copy(update={"escalation": True})
    waiting = store.next_attempt(row, iteration=row.iteration, resume_at=None, state=escalated)
    StepRun.objects.filter(pk=waiting.pk).update(status=StepStatus.WAITING)
    store.request_approval(
        waiting,
        {
            "kind": "escalation",
            "prompt": f"Step {row.step_id} needs review: trigger `{condition}` fired after "
            f"{run.revisions} of {limit} revisions ({row.error or 'no error text'}). "
            "Retry the step, edit it (agent, query) and retry, or abort it.",
            "default_action": "reject",
        },
    )
