"""The Plan: the document a canvas compiles to and plan YAML speaks (docs/architecture.md).

Lives in `canvas` so graph compilation and YAML import never import `coordinator`;
`coordinator.schemas` re-exports it. Pure pydantic, no Django.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# The plan settings are defined with the Begin and Interact configs that carry them on a canvas.
from canvas.components import AdaptiveConfig, CoordinatorConfig, OutputSpec
from canvas.components import AdaptiveTrigger as AdaptiveTrigger

STEP_ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$"
StepId = Annotated[str, Field(pattern=STEP_ID_PATTERN)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,99}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoopSpec(Strict):
    """Repeat a step until `until` (a sandboxed expression over `step`) is true."""

    until: str = Field(min_length=1, max_length=2000)
    max_iterations: int = Field(default=3, ge=1, le=100)


class StepBase(Strict):
    id: StepId
    name: str | None = Field(default=None, max_length=200)
    depends_on: list[StepId] = Field(default_factory=list)
    when: str | None = Field(default=None, max_length=2000, description="Skip unless true.")
    timeout_seconds: float | None = Field(default=None, gt=0, le=86_400)
    retries: int = Field(default=0, ge=0, le=10)
    loop: LoopSpec | None = None


class AgentStep(StepBase):
    type: Literal["agent"] = "agent"
    agent: Slug
    query: str | None = Field(default=None, max_length=20_000)
    input: dict[str, Any] = Field(default_factory=dict)
    fallback: Slug | None = None


class CoordinatorStep(StepBase):
    type: Literal["coordinator"] = "coordinator"
    agents: list[Slug] = Field(min_length=1)
    query: str | None = Field(default=None, max_length=20_000)
    config: CoordinatorConfig = Field(default_factory=CoordinatorConfig)


class HumanApprovalStep(StepBase):
    type: Literal["human_approval"] = "human_approval"
    prompt: str = Field(default="Please approve", max_length=5000)
    assignee: str | None = Field(default=None, max_length=500)
    approval_timeout_seconds: float | None = Field(default=None, gt=0)
    default_action: Literal["approve", "reject", "fail"] = "fail"
    allow_self_approval: bool = Field(
        default=False, description="Let the person who started the run decide (no four eyes)."
    )
    required_approvals: int = Field(
        default=1, ge=1, le=50, description="Distinct approvals needed (a group assignee)."
    )


class HumanInputStep(StepBase):
    type: Literal["human_input"] = "human_input"
    prompt: str = Field(default="Please provide input", max_length=5000)
    assignee: str | None = Field(default=None, max_length=500)
    form: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    input_timeout_seconds: float | None = Field(default=None, gt=0)


class ConditionStep(StepBase):
    type: Literal["condition"] = "condition"
    expression: str = Field(min_length=1, max_length=2000)
    if_true: list[StepId] = Field(default_factory=list)
    if_false: list[StepId] = Field(default_factory=list)


class ParallelStep(StepBase):
    type: Literal["parallel"] = "parallel"
    branches: list[Step] = Field(min_length=1)
    concurrency: int | None = Field(default=None, ge=1, le=256)
    on_failure: Literal["fail_fast", "continue", "wait_all"] = "fail_fast"


class WaitStep(StepBase):
    type: Literal["wait"] = "wait"
    duration_seconds: float | None = Field(default=None, gt=0, le=30 * 86_400)
    event: str | None = Field(default=None, min_length=1, max_length=200)


class SubPlanStep(StepBase):
    type: Literal["sub_plan"] = "sub_plan"
    plan: Slug
    input: dict[str, Any] = Field(default_factory=dict)


class TransformStep(StepBase):
    type: Literal["transform"] = "transform"
    output: Any = None


Step = Annotated[
    AgentStep
    | CoordinatorStep
    | HumanApprovalStep
    | HumanInputStep
    | ConditionStep
    | ParallelStep
    | WaitStep
    | SubPlanStep
    | TransformStep,
    Field(discriminator="type"),
]
STEP_TYPES = (
    "agent",
    "coordinator",
    "human_approval",
    "human_input",
    "condition",
    "parallel",
    "wait",
    "sub_plan",
    "transform",
)
ParallelStep.model_rebuild()


class Plan(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    input_schema: dict[str, Any] | None = None
    steps: list[Step] = Field(min_length=1, max_length=5000)
    result: StepId | None = Field(default=None, description="Step whose output is the answer.")
    adaptive: AdaptiveConfig | None = None
    output: OutputSpec | None = None

    def all_steps(self) -> list:
        """Every step, including parallel branches, depth first."""
        found: list = []

        def walk(steps):
            for step in steps:
                found.append(step)
                if isinstance(step, ParallelStep):
                    walk(step.branches)

        walk(self.steps)
        return found


class PlanProblem(BaseModel):
    step: str | None
    field: str
    message: str


def plan_problems(plan: Plan) -> list[PlanProblem]:
    """Structural problems pydantic cannot see: duplicate ids, unknown references, cycles."""
    problems: list[PlanProblem] = []
    ids: set[str] = set()
    for step in plan.all_steps():
        if step.id in ids:
            problems.append(PlanProblem(step=step.id, field="id", message="duplicate step id"))
        ids.add(step.id)
    for step in plan.all_steps():
        for dep in step.depends_on:
            if dep not in ids:
                problems.append(
                    PlanProblem(step=step.id, field="depends_on", message=f"unknown step {dep!r}")
                )
            elif dep == step.id:
                problems.append(
                    PlanProblem(step=step.id, field="depends_on", message="depends on itself")
                )
        if isinstance(step, ConditionStep):
            for branch in ("if_true", "if_false"):
                for target in getattr(step, branch):
                    if target not in ids:
                        problems.append(
                            PlanProblem(
                                step=step.id, field=branch, message=f"unknown step {target!r}"
                            )
                        )
    if plan.result and plan.result not in ids:
        problems.append(
            PlanProblem(step=None, field="result", message=f"unknown step {plan.result!r}")
        )
    cycle = find_cycle({s.id: list(s.depends_on) for s in plan.steps})
    if cycle:
        problems.append(
            PlanProblem(step=cycle[0], field="depends_on", message="cycle: " + " -> ".join(cycle))
        )
    return problems


def find_cycle(deps: dict[str, list[str]]) -> list[str] | None:
    """A dependency cycle as a list of ids (first repeated at the end), or None. Iterative DFS."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(deps, white)
    for root in deps:
        if colour[root] != white:
            continue
        stack = [(root, iter(deps.get(root, [])))]
        path = [root]
        colour[root] = grey
        while stack:
            node, children = stack[-1]
            advanced = False
            for child in children:
                if child not in colour:
                    continue
                if colour[child] == grey:
                    return path[path.index(child) :] + [child]
                if colour[child] == white:
                    colour[child] = grey
                    stack.append((child, iter(deps.get(child, []))))
                    path.append(child)
                    advanced = True
                    break
            if not advanced:
                colour[node] = black
                stack.pop()
                path.pop()
    return None
