"""Pydantic documents of the engine. The Plan itself lives in canvas.plan (canvas never
imports coordinator, yet graphs compile to plans); it is re-exported here."""

from typing import Any, Literal  # noqa: E402

from pydantic import BaseModel, ConfigDict, Field  # noqa: E402

from canvas.plan import (  # noqa: F401
    STEP_TYPES,
    AdaptiveConfig,
    AgentStep,
    ConditionStep,
    CoordinatorStep,
    HumanApprovalStep,
    HumanInputStep,
    LoopSpec,
    OutputSpec,
    ParallelStep,
    Plan,
    Step,
    SubPlanStep,
    TransformStep,
    WaitStep,
)

Level = Literal["LOW", "MEDIUM", "HIGH", "NONE"]


class Doc(BaseModel):
    model_config = ConfigDict(extra="ignore")


class AgentInfo(Doc):
    """What the phases know about a sub-agent: the routing signal and live load."""

    slug: str
    name: str
    description: str
    capabilities: list[str] = Field(default_factory=list)
    priority: int = 0
    in_flight: int = 0
    enabled: bool = True
    fallback: str | None = None
    examples: list[str] = Field(default_factory=list)
    counter_examples: list[str] = Field(default_factory=list)


class Candidate(Doc):
    slug: str
    score: float = Field(ge=0)
    reason: str = ""


class ComplexityDecision(Doc):
    level: Level
    reasons: list[str] = Field(default_factory=list)
    sub_queries: list[str] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)


class SelectionDecision(Doc):
    agents: list[str]
    scores: dict[str, float] = Field(default_factory=dict)
    reasons: list[str] = Field(default_factory=list)


class Stage(Doc):
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    agent: str
    query: str
    depends_on: list[str] = Field(default_factory=list)
    success_criteria: list[str] = Field(default_factory=list)
    condition: str | None = None


class ExecutionPlan(Doc):
    pattern: Literal["sequential", "parallel", "pipeline", "conditional"]
    stages: list[Stage] = Field(min_length=1)
    reasons: list[str] = Field(default_factory=list)


class AgentOutcome(Doc):
    """What synthesis sees of one sub-agent's work."""

    stage: str
    agent: str
    status: Literal["succeeded", "failed", "skipped", "cancelled"]
    output: Any = None
    error: str = ""
    success_criteria: list[str] = Field(default_factory=list)
    query: str = ""  # the part of the question this stage was given


class SynthesisResult(Doc):
    answer: str
    insights: list[str] = Field(default_factory=list)
    rows: list[dict[str, Any]] = Field(default_factory=list)
    failed_agents: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)


class ReflectionDecision(Doc):
    satisfied: bool
    unmet: list[str] = Field(default_factory=list)
    retry_agents: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
