"""Steps that decide and wait without calling anyone: condition, transform, wait, parallel."""

from __future__ import annotations

from datetime import timedelta

from coordinator import clock
from coordinator.engine.core.outcomes import ChildSpec, Outcome, Succeeded, Waiting
from coordinator.engine.steps.common import context_for
from coordinator.expressions import is_true, render
from coordinator.models import Run, StepRun


def execute_condition(row: StepRun, run: Run) -> Outcome:
    spec = row.spec
    result = is_true(spec["expression"], context_for(run))
    skip = spec.get("if_false", []) if result else spec.get("if_true", [])
    return Succeeded(output={"result": result}, skip=list(skip))


def execute_transform(row: StepRun, run: Run) -> Outcome:
    return Succeeded(output=render(row.spec.get("output"), context_for(run)))


def execute_wait(row: StepRun, run: Run) -> Outcome:
    spec = row.spec
    if spec.get("duration_seconds"):
        return Waiting(resume_at=clock.now() + timedelta(seconds=float(spec["duration_seconds"])))
    return Waiting(output={"waiting_for": spec.get("event")})


def execute_parallel(row: StepRun, run: Run) -> Outcome:
    children = [
        ChildSpec(
            step_id=branch["id"],
            type=branch["type"],
            spec={**branch, "depends_on": []},
            agent=branch.get("agent", "") or "",
        )
        for branch in row.spec.get("branches", [])
    ]
    return Waiting(output={"branches": [c.step_id for c in children]}, children=children)
