"""Adaptive re-planning with a language model: when a trigger fires, the model revises the
remaining plan — the step that triggered and the agent steps not started yet: a different
agent or query, steps removed, steps added — and the engine applies what validates.

Only agent steps are revised; other steps keep their definition. A revision is refused (and
the caller falls back to re-routing) when it names an unavailable agent, an unknown or
finished step as a dependency, a cycle, or removes a step that a remaining step needs.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.db.models import F
from pydantic import BaseModel, Field

from canvas.agent_access import usable_agents
from canvas.plan import STEP_ID_PATTERN, find_cycle
from coordinator.credentials import CredentialError, model_for
from coordinator.engine import store
from coordinator.engine.rerouting import fall_back
from coordinator.llm import ModelError, is_local
from coordinator.models import RUN_TERMINAL, Run, StepRun, StepStatus
from coordinator.tenancy import principal
from coordinator.transport import dispatch
from coordinator.transport.events import emit

INSTRUCTIONS = (
    "A step of a running workflow met a revision trigger. Revise the REMAINING plan: answer "
    "with the agent steps that should still run — the triggering step first (you may give it "
    "another agent or query), then the pending ones (keep, change, or leave one out to remove "
    "it), plus any new steps. Use only the listed agents; depends_on may name finished steps, "
    "the remaining steps and new ones. Explain the revision in 'reason'."
)


class RevisedStep(BaseModel):
    id: str = Field(pattern=STEP_ID_PATTERN)
    agent: str
    query: str | None = Field(default=None, max_length=20_000)
    depends_on: list[str] = Field(default_factory=list)


class Revision(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    steps: list[RevisedStep] = Field(min_length=1, max_length=50)


def revision_model(run: Run) -> str | None:
    name = (run.adaptive or {}).get("model") or ""
    return None if is_local(name) else name


def remaining(run: Run, row: StepRun) -> list[StepRun]:
    """The triggering step and the top-level agent steps not started yet."""
    pending = StepRun.objects.filter(
        run=run, superseded=False, parent="", type="agent", status=StepStatus.PENDING
    ).exclude(pk=row.pk)
    return [row, *pending.order_by("id")]


def ask(run: Run, row: StepRun, condition: str, agents: list[dict]) -> Revision:
    rows = remaining(run, row)
    current = [
        {
            "id": r.step_id,
            "agent": r.agent,
            "query": r.spec.get("query"),
            "depends_on": r.depends_on,
            "status": r.status,
        }
        for r in rows
    ]
    finished = list(
        StepRun.objects.filter(run=run, superseded=False, status=StepStatus.SUCCEEDED)
        .exclude(pk=row.pk)
        .values_list("step_id", flat=True)
    )
    messages = [
        {"role": "system", "content": INSTRUCTIONS},
        {
            "role": "user",
            "content": f"Run query: {run.query}\nTrigger: {condition}\n"
            f"Triggering step {row.step_id}: status {row.status}, error {row.error[:500]!r}, "
            f"output {json.dumps(row.output, default=str)[:1500]}\n"
            f"Remaining steps: {json.dumps(current)}\nFinished steps: {json.dumps(finished)}\n"
            "Available agents:\n" + "\n".join(f"- {a['slug']}: {a['description']}" for a in agents),
        },
    ]
    try:
        # Through a connection the run's user may use, never the server's own credentials.
        model = model_for(principal(run), revision_model(run))
    except CredentialError as exc:
        raise ModelError(str(exc)) from None
    revision, _usage = model.structured(
        messages, Revision, task="replan", context={}, temperature=0.1, timeout=120
    )
    return revision


def problems(revision: Revision, run: Run, row: StepRun, agents: set[str]) -> list[str]:
    rows = remaining(run, row)
    pending_ids = {r.step_id for r in rows}
    all_ids = set(
        StepRun.objects.filter(run=run, superseded=False).values_list("step_id", flat=True)
    )
    revised_ids = [s.id for s in revision.steps]
    found: list[str] = []
    if revision.steps[0].id != row.step_id:
        found.append(f"the first step must be the triggering step {row.step_id}")
    if len(set(revised_ids)) != len(revised_ids):
        found.append("step ids must be unique")
    clash = (set(revised_ids) & all_ids) - pending_ids
    if clash:
        found.append(f"ids of steps that are not pending: {sorted(clash)}")
    for step in revision.steps:
        if step.agent not in agents:
            found.append(f"{step.id}: agent {step.agent!r} is not available")
        for dep in step.depends_on:
            if dep not in all_ids and dep not in revised_ids:
                found.append(f"{step.id}: unknown dependency {dep!r}")
    removed = pending_ids - set(revised_ids)
    for other in StepRun.objects.filter(run=run, superseded=False, status=StepStatus.PENDING):
        needed = removed & set(other.depends_on)
        if other.step_id not in removed and other.step_id not in revised_ids and needed:
            found.append(f"{other.step_id} needs {sorted(needed)}, which the revision removes")
    graph = {s.id: [d for d in s.depends_on if d in revised_ids] for s in revision.steps}
    cycle = find_cycle(graph)
    if cycle:
        found.append("cycle: " + " -> ".join(cycle))
    return found


def diff(revision: Revision, run: Run, row: StepRun) -> list[str]:
    """Readable lines: ~ changed, + added, - removed."""
    before = {r.step_id: r for r in remaining(run, row)}
    lines: list[str] = []
    for step in revision.steps:
        old = before.get(step.id)
        if old is None:
            after = f" after {', '.join(step.depends_on)}" if step.depends_on else ""
            lines.append(f"+ {step.id}: {step.agent} — {step.query or '(the run query)'}{after}")
            continue
        changes = []
        if step.agent != old.agent:
            changes.append(f"agent {old.agent} → {step.agent}")
        if (step.query or None) != (old.spec.get("query") or None):
            changes.append(f"query “{old.spec.get('query') or ''}” → “{step.query or ''}”")
        if step.depends_on != list(old.depends_on):
            changes.append(f"after {old.depends_on or '[]'} → {step.depends_on or '[]'}")
        lines.append(f"~ {step.id}: " + ("; ".join(changes) if changes else "retried as is"))
    for step_id in before:
        if step_id not in {s.id for s in revision.steps}:
            lines.append(f"- {step_id}: removed")
    return lines


def apply(revision: Revision, run: Run, row: StepRun, waiting: StepRun, number: int) -> None:
    """The revision on the database: the waiting attempt of the triggering step takes the
    first step's agent and query; pending steps change or are skipped; new steps are added."""
    before = {r.step_id: r for r in remaining(run, row)}
    first = revision.steps[0]
    StepRun.objects.filter(pk=waiting.pk).update(
        spec={**row.spec, "agent": first.agent, "query": first.query},
        agent=first.agent,
        depends_on=first.depends_on,
        status=StepStatus.PENDING,
    )
    for step in revision.steps[1:]:
        old = before.get(step.id)
        if old is not None:
            StepRun.objects.filter(pk=old.pk, status=StepStatus.PENDING).update(
                agent=step.agent,
                spec={**old.spec, "agent": step.agent, "query": step.query},
                depends_on=step.depends_on,
            )
        else:
            StepRun.objects.create(
                run=run,
                step_id=step.id,
                type="agent",
                spec={"id": step.id, "type": "agent", "agent": step.agent, "query": step.query},
                depends_on=step.depends_on,
                agent=step.agent,
            )
    for step_id in before:
        if step_id not in {s.id for s in revision.steps}:
            store.skip_pending(run.pk, step_id, f"removed by plan revision {number}")


def revise_with_model(failed_pk: int, waiting_pk: int, condition: str) -> None:
    """Ask the model (outside any transaction), then apply its revision — or, when it cannot
    be used, fall back to re-routing — and move the run on."""
    failed = StepRun.objects.get(pk=failed_pk)
    run = Run.objects.select_related("created_by", "canvas__owner").get(pk=failed.run_id)
    agents = [{"slug": a.slug, "description": a.description} for a in usable_agents(principal(run))]
    revision, found = None, []
    try:
        revision = ask(run, failed, condition, agents)
        found = problems(revision, run, failed, {a["slug"] for a in agents})
    except ModelError as exc:
        found = [f"the model could not revise the plan: {exc}"]
    with transaction.atomic():
        waiting = StepRun.objects.filter(pk=waiting_pk, status=StepStatus.WAITING).first()
        run = Run.objects.get(pk=run.pk)
        if waiting is None or run.status in RUN_TERMINAL:
            return  # the run ended meanwhile: nothing to revise
        if revision is None or found:
            fall_back(run, failed, waiting, condition, "; ".join(found))
        else:
            number = run.revisions + 1
            lines = diff(revision, run, failed)
            apply(revision, run, failed, waiting, number)
            Run.objects.filter(pk=run.pk).update(revisions=F("revisions") + 1)
            emit(
                run.id,
                "plan.revised",
                step=failed.step_id,
                agent=revision.steps[0].agent,
                data={
                    "revision": number,
                    "trigger": condition,
                    "model": revision_model(run),
                    "reason": revision.reason,
                    "diff": lines,
                    "change": revision.reason + "\n" + "\n".join(lines),
                },
            )
        dispatch.enqueue("advance", str(run.pk))
