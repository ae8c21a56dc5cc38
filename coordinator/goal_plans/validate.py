"""A draft checked against the goal's constraints and the Plan schema. Pure, no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from canvas.plan import Plan, plan_problems
from coordinator.goal_plans.draft import PlanDraft


@dataclass(frozen=True)
class Constraints:
    require_human_approval: bool = False
    max_steps: int = 10
    available_agents: tuple[str, ...] = ()  # the slugs the plan may use (already resolved)
    deadline_minutes: float | None = None


@dataclass
class Checked:
    plan: Plan | None
    reasons: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def check(draft: PlanDraft, constraints: Constraints) -> Checked:
    """The Plan a draft describes, with every way it breaks the constraints or the schema."""
    problems: list[str] = []
    allowed = set(constraints.available_agents)
    if not draft.steps:
        fits = "; ".join(draft.unmatched) or "the goal"
        problems.append(f"no available agent can do any part of the goal ({fits})")
    if len(draft.steps) > constraints.max_steps:
        problems.append(f"{len(draft.steps)} steps; max_steps is {constraints.max_steps}")
    approvals = [s for s in draft.steps if s.type == "human_approval"]
    if constraints.require_human_approval and not approvals:
        problems.append("require_human_approval: the plan needs a human_approval step")
    for step in draft.steps:
        if step.type == "agent" and step.agent not in allowed:
            problems.append(
                f"step {step.id}: agent {step.agent!r} is not one of the available agents "
                f"({', '.join(sorted(allowed))})"
            )
    deadline = constraints.deadline_minutes * 60 if constraints.deadline_minutes else None
    steps = []
    for step in draft.steps:
        data: dict = {"id": step.id, "type": step.type, "depends_on": step.depends_on}
        if step.type == "agent":
            data |= {"agent": step.agent, "query": step.query or None}
            if deadline:
                data["timeout_seconds"] = deadline  # no step outlives the deadline
        else:
            data["prompt"] = step.prompt or "Please approve"
            if deadline:
                data |= {"approval_timeout_seconds": deadline, "default_action": "reject"}
        steps.append(data)
    plan = None
    if steps:
        try:
            plan = Plan.model_validate(
                {"name": draft.name, "description": draft.description, "steps": steps}
            )
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                where = ".".join(str(p) for p in error["loc"])
                problems.append(f"{where}: {error['msg']}")
    if plan is not None:
        problems += [f"step {p.step or ''} {p.field}: {p.message}" for p in plan_problems(plan)]
        sinks = _sinks(plan)
        if len(sinks) == 1:
            plan = plan.model_copy(update={"result": sinks[0]})
    reasons = {step.id: step.why for step in draft.steps}
    return Checked(plan if not problems else None, reasons, problems)


def _sinks(plan: Plan) -> list[str]:
    needed = {dep for step in plan.steps for dep in step.depends_on}
    return [step.id for step in plan.steps if step.id not in needed]
