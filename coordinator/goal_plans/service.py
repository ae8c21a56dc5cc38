"""Generate a plan for a goal: list the agents the user may use, ask the coordinator model
(structured output; the model layer repairs invalid JSON once), check the draft against the
constraints and the Plan schema (one more round with the problems when a model's draft
breaks them), then estimate its duration."""

from __future__ import annotations

import json

from django.conf import settings

from canvas.agent_access import usable_agents
from canvas.yaml_io import plan_to_yaml
from coordinator.credentials import CredentialError, model_for
from coordinator.goal_plans import draft as drafts
from coordinator.goal_plans.estimate import estimate, recorded_latencies
from coordinator.goal_plans.validate import Constraints, check
from coordinator.llm import ModelError, is_local

MODEL_TIMEOUT_SECONDS = 120

INSTRUCTIONS = (
    "You design workflow plans. Given a goal, constraints and the available agents (slug: "
    "description), answer with a plan: steps of type 'agent' (agent = one of the given "
    "slugs, query = what that agent is asked) or 'human_approval' (prompt). Order steps by "
    "data dependencies with depends_on (a step that uses another's result depends on it; "
    "independent steps share dependencies so they run in parallel). Give every step a short "
    "'why'. Use only the given agents; list parts of the goal no agent can do in 'unmatched'. "
    "Stay within max_steps. When require_human_approval is true, include a human_approval "
    "step before the step that releases or acts on the result."
)


class GenerationError(Exception):
    """No plan: `status` is the HTTP status, `field` the request field at fault (if any)."""

    def __init__(self, status: int, message: str, field: str = "", problems=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.problems: list[str] = list(problems or [])


def _agent_block(agents: list[dict]) -> str:
    return "\n".join(f"- {a['slug']}: {a['description']}" for a in agents)


def _messages(goal: str, constraints: Constraints, agents: list[dict]) -> list[dict]:
    asked = {
        "require_human_approval": constraints.require_human_approval,
        "max_steps": constraints.max_steps,
        "deadline_minutes": constraints.deadline_minutes,
    }
    return [
        {"role": "system", "content": INSTRUCTIONS},
        {
            "role": "user",
            "content": f"Goal: {goal}\nConstraints: {json.dumps(asked)}\n"
            f"Available agents:\n{_agent_block(agents)}",
        },
    ]


def _agents_for(user, wanted: list[str] | None) -> list[dict]:
    agents = list(usable_agents(user))
    if wanted:
        known = {a.slug for a in agents}
        unknown = [slug for slug in wanted if slug not in known]
        if unknown:
            raise GenerationError(
                400,
                f"unknown or unavailable agent(s): {', '.join(unknown)}",
                field="constraints.available_agents",
            )
        agents = [a for a in agents if a.slug in set(wanted)]
    if not agents:
        raise GenerationError(
            400, "there are no agents to plan with", "constraints.available_agents"
        )
    return [
        {
            "slug": a.slug,
            "name": a.name,
            "description": a.description,
            "capabilities": list(a.capabilities),
            "priority": a.priority,
        }
        for a in agents
    ]


def generate(
    goal: str,
    *,
    user,
    require_human_approval: bool = False,
    max_steps: int = 10,
    available_agents: list[str] | None = None,
    deadline_minutes: float | None = None,
    model: str | None = None,
) -> dict:
    agents = _agents_for(user, available_agents)
    constraints = Constraints(
        require_human_approval=require_human_approval,
        max_steps=max_steps,
        available_agents=tuple(a["slug"] for a in agents),
        deadline_minutes=deadline_minutes,
    )
    name = model or settings.BATON_DEFAULT_MODEL
    try:
        # Only through a connection the user may use: never the server's own credentials.
        llm = model_for(user, name)
    except CredentialError as exc:
        raise GenerationError(400, str(exc), field="model") from None
    messages = _messages(goal, constraints, agents)
    context = {
        "goal": goal,
        "agents": agents,
        "require_human_approval": require_human_approval,
        "max_steps": max_steps,
    }

    def ask(conversation):
        try:
            draft, _usage = llm.structured(
                conversation,
                drafts.PlanDraft,
                task="generate_plan",
                context=context,
                temperature=0.1,
                timeout=MODEL_TIMEOUT_SECONDS,
            )
        except ModelError as exc:
            raise GenerationError(502, f"the model could not write a plan: {exc}") from None
        return draft

    draft = ask(messages)
    checked = check(draft, constraints)
    if checked.problems and not is_local(name):
        repair = [
            *messages,
            {"role": "assistant", "content": draft.model_dump_json()},
            {
                "role": "user",
                "content": "That plan breaks these rules; answer again with a corrected plan:\n- "
                + "\n- ".join(checked.problems),
            },
        ]
        draft = ask(repair)
        checked = check(draft, constraints)
    if checked.problems or checked.plan is None:
        status = 422 if is_local(name) else 502
        raise GenerationError(status, "no valid plan for this goal", problems=checked.problems)

    plan = checked.plan
    slugs = {s.agent for s in plan.steps if s.type == "agent"}
    total, per_step = estimate(plan, recorded_latencies(slugs))
    warnings = [f"no available agent does: {part}" for part in draft.unmatched]
    if deadline_minutes and total > deadline_minutes * 60:
        warnings.append(
            f"estimated {total / 60:.1f} min exceeds the deadline of {deadline_minutes:g} min"
        )
    by_id = {s.id: s for s in plan.steps}
    return {
        "plan": plan.model_dump(mode="json", exclude_none=True),
        "yaml": plan_to_yaml(plan),
        "steps": [
            {
                **estimate_row,
                "type": by_id[estimate_row["id"]].type,
                "agent": getattr(by_id[estimate_row["id"]], "agent", None),
                "why": checked.reasons.get(estimate_row["id"], ""),
            }
            for estimate_row in per_step
        ],
        "estimated_seconds": total,
        "warnings": warnings,
        "model": name,
    }
