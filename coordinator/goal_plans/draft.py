"""The draft a model writes for a goal, and how baton/local writes one without a model.

baton/local splits the goal into clauses (the offline router's `split_query`), gives each
clause the agent whose description scores best for it (above the router's relevance
threshold), runs clauses in the goal's order — each waits for the one before, since a later
task usually works on an earlier one's result — unless the goal says they happen in parallel
("also", "in parallel", "compare X with Y"), and puts a human approval before the final step
when one is required. Clauses no agent fits are reported, never silently dropped.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from canvas.plan import STEP_ID_PATTERN
from coordinator.llm import local_task
from coordinator.offline import router

APPROVAL_ID = "approval"


class DraftStep(BaseModel):
    id: str = Field(pattern=STEP_ID_PATTERN)
    type: Literal["agent", "human_approval"]
    agent: str | None = Field(default=None, description="Agent slug (agent steps).")
    query: str | None = Field(default=None, max_length=4000)
    prompt: str | None = Field(default=None, max_length=2000, description="Approval prompt.")
    depends_on: list[str] = Field(default_factory=list)
    why: str = Field(min_length=1, max_length=1000, description="Why this step is in the plan.")


class PlanDraft(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    steps: list[DraftStep] = Field(default_factory=list, max_length=100)
    unmatched: list[str] = Field(
        default_factory=list, description="Parts of the goal no available agent can do."
    )


def plan_name(goal: str, limit: int = 60) -> str:
    """The goal, shortened at a word boundary: the generated canvas's name."""
    text = " ".join(goal.split())
    if len(text) <= limit:
        return text or "Generated plan"
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _step_id(slug: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_-]", "_", slug)[:60] or "step"
    if not re.match(r"[A-Za-z_]", base):
        base = f"s_{base}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


# "Create a customer onboarding workflow that …": the lead-in names the plan, not a task.
_LEAD_IN = re.compile(
    r"^\s*(?:please\s+)?(?:create|build|make|design|set up|write)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,4}?(?:workflow|process|pipeline|plan|flow)\s+(?:that|which|to)\s+",
    re.IGNORECASE,
)


def local_draft(
    goal: str, agents: list[router.AgentProfile], *, require_approval: bool, max_steps: int
) -> PlanDraft:
    tasks = _LEAD_IN.sub("", goal, count=1) or goal
    fragments = [f for f in router.split_query(tasks) if not f.context and f.task_text]
    steps: list[DraftStep] = []
    unmatched: list[str] = []
    taken: set[str] = {APPROVAL_ID}
    previous: list[str] = []  # what the next sequential step waits for
    last_deps: list[str] = []  # what the last step waited for (parallel siblings share it)
    for fragment in fragments:
        ranking = router.score_agents(fragment.task_text, agents)
        best = ranking[0] if ranking else None
        if best is None or best.score < router.RELEVANCE_THRESHOLD:
            unmatched.append(fragment.text)
            continue
        same_agent = steps and steps[-1].agent == best.slug
        if same_agent:  # two clauses for one agent: one step with both asks
            steps[-1].query = f"{steps[-1].query}; {fragment.text}"
            continue
        parallel = bool(steps) and fragment.par_cue
        deps = list(last_deps) if parallel else list(previous)
        step = DraftStep(
            id=_step_id(best.slug, taken),
            type="agent",
            agent=best.slug,
            query=fragment.text,
            depends_on=deps,
            why=f"“{fragment.text}” is what {best.slug} does (relevance {best.score:.2f}"
            + (f"; matched {', '.join(best.matched_terms[:4])}" if best.matched_terms else "")
            + ")"
            + (
                f"; it works on the result of {', '.join(deps)}"
                if deps and not parallel
                else "; it runs alongside the step before it"
                if parallel
                else ""
            ),
        )
        steps.append(step)
        previous = [step.id] if not parallel else [*previous, step.id]
        last_deps = deps
    if not steps:
        return PlanDraft(name=plan_name(goal), description=goal, unmatched=unmatched or [goal])
    budget = max_steps - (1 if require_approval else 0)
    if len(steps) > budget:
        kept = {s.id for s in steps[:budget]}
        unmatched += [f"{s.query} (left out: max_steps is {max_steps})" for s in steps[budget:]]
        steps = [
            s.model_copy(update={"depends_on": [d for d in s.depends_on if d in kept]})
            for s in steps[:budget]
        ]
    if require_approval:
        steps = _with_approval(steps)
    return PlanDraft(name=plan_name(goal), description=goal, steps=steps, unmatched=unmatched)


def _with_approval(steps: list[DraftStep]) -> list[DraftStep]:
    """A person approves before the final step acts (after the only step when there is one)."""
    if len(steps) == 1:
        gate = DraftStep(
            id=APPROVAL_ID,
            type="human_approval",
            prompt=f"Approve the result of {steps[0].id} before it is released",
            depends_on=[steps[0].id],
            why="the goal requires a person's approval; nothing is released before it",
        )
        return [*steps, gate]
    final = steps[-1]
    gate = DraftStep(
        id=APPROVAL_ID,
        type="human_approval",
        prompt=f"Approve the work so far before {final.id} acts on it",
        depends_on=list(final.depends_on),
        why=f"the goal requires a person's approval; it gates the final step ({final.id})",
    )
    # The final step still depends on its inputs (their outputs reach it) and on the gate.
    after = [*final.depends_on, APPROVAL_ID]
    return [*steps[:-1], gate, final.model_copy(update={"depends_on": after})]


@local_task("generate_plan")
def draft_locally(schema, context) -> PlanDraft:
    agents = [router.AgentProfile(**a) for a in context["agents"]]
    return local_draft(
        context["goal"],
        agents,
        require_approval=context["require_human_approval"],
        max_steps=context["max_steps"],
    )
