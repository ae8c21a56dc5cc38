"""What each step type does when it runs: one executor per type, registered once here.
Executors return an Outcome; they never record it (engine/recording.py does)."""

from __future__ import annotations

from collections.abc import Callable

from coordinator.engine.core.outcomes import Failed, Outcome
from coordinator.engine.steps.agent import execute_agent
from coordinator.engine.steps.coordinator import run_coordinator
from coordinator.engine.steps.human import execute_human
from coordinator.engine.steps.logic import (
    execute_condition,
    execute_parallel,
    execute_transform,
    execute_wait,
)
from coordinator.engine.steps.nested import execute_sub_plan
from coordinator.expressions import ExpressionError
from coordinator.models import Run, StepRun

Executor = Callable[[StepRun, Run], Outcome]

EXECUTORS: dict[str, Executor] = {
    "agent": execute_agent,
    "coordinator": run_coordinator,
    "human_approval": execute_human,
    "human_input": execute_human,
    "condition": execute_condition,
    "parallel": execute_parallel,
    "wait": execute_wait,
    "sub_plan": execute_sub_plan,
    "transform": execute_transform,
}


def execute(row: StepRun, run: Run) -> Outcome:
    executor = EXECUTORS.get(row.type)
    if executor is None:
        return Failed(error=f"unknown step type {row.type!r}", retryable=False)
    try:
        return executor(row, run)
    except ExpressionError as exc:
        return Failed(error=f"expression error: {exc}", retryable=False)


__all__ = ["EXECUTORS", "execute"]
