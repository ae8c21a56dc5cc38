"""Step specs, typed at the boundary. Every row the engine inserts carries a spec that
validates as its step type's plan model (canvas/step_types.py) — or, for a coordinator's
stages and the pipeline items they spawn, as a StageStep. The engine's own bookkeeping
is not part of a spec: it lives in `StepRun.engine_state` (core/state.py)."""

from __future__ import annotations

from pydantic import Field

from canvas.components import Budget, ContextPolicy
from canvas.plan import AgentStep, StepBase
from canvas.step_types import REGISTRY


class StageStep(AgentStep):
    """An agent step a coordinator's planning phase generated (steps/coordinator.py)."""

    id: str = Field(min_length=1, max_length=200)  # "<coordinator>.<stage>", "a>b#3"
    stage: str = Field(min_length=1, max_length=200)
    success_criteria: list[str] = Field(default_factory=list)
    failure_handling: str
    fallbacks: list[str] = Field(default_factory=list)
    budget: Budget = Field(default_factory=Budget)
    context_policy: ContextPolicy = Field(default_factory=ContextPolicy)
    after_any: bool = False
    isolated: bool = False


def typed_spec(step_type: str, spec: dict) -> StepBase:
    """The spec as its step model; raises pydantic.ValidationError (or ValueError for an
    unknown type) when it is not one."""
    if step_type == "agent" and "stage" in spec:
        return StageStep.model_validate(spec)
    entry = REGISTRY.get(step_type)
    if entry is None:
        raise ValueError(f"unknown step type {step_type!r}")
    return entry.model.model_validate(spec)
