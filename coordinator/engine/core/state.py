"""The engine's own bookkeeping for a step attempt, kept apart from the plan's spec
(`StepRun.engine_state`): the spec is what the user's plan (or a coordinator's planning
phase) asked for; this is what the engine has done about it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EngineState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fallbacks_used: int = Field(
        default=0, ge=0, description="Attempts of this step that ran on a fallback agent."
    )
    escalation: bool = Field(
        default=False, description="Adaptive revision gave up: this attempt waits for a person."
    )
    pipeline_next: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Pipeline pattern: the specs of the stages after this one, in order.",
    )

    @classmethod
    def of(cls, row) -> EngineState:
        return cls.model_validate(getattr(row, "engine_state", None) or {})

    def stored(self) -> dict[str, Any]:
        """Only what differs from the defaults: most steps store an empty object."""
        return self.model_dump(mode="json", exclude_defaults=True)
