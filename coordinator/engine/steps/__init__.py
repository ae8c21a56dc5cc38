"""What each step type does when it runs. Each type's executor is named once, in its
registry entry (canvas/step_types.py), and resolved here when the engine loads, so a wrong
name fails at start-up. Executors return an Outcome; they never record it (recording.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.module_loading import import_string

from canvas.step_types import REGISTRY
from coordinator.engine.core.outcomes import Failed, Outcome
from coordinator.expressions import ExpressionError
from coordinator.models import Run, StepRun

Executor = Callable[[StepRun, Run], Outcome]

EXECUTORS: dict[str, Executor] = {
    name: import_string(entry.executor) for name, entry in REGISTRY.items()
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
