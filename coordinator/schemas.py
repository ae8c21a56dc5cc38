"""Pydantic documents of the engine. The Plan itself lives in canvas.plan (canvas never
imports coordinator, yet graphs compile to plans); it is re-exported here."""

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
