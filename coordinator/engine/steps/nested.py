"""sub_plan: run another canvas as a nested run; the step waits for it to end."""

from __future__ import annotations

from django.conf import settings

from canvas.models import Canvas
from coordinator.engine.core.outcomes import Failed, Outcome, Waiting
from coordinator.engine.steps.common import context_for
from coordinator.expressions import render
from coordinator.models import Run, StepRun
from coordinator.tenancy import principal


def execute_sub_plan(row: StepRun, run: Run) -> Outcome:
    spec = row.spec
    if run.depth + 1 > settings.BATON_MAX_NESTING:
        return Failed(
            error=f"sub-plan nesting deeper than {settings.BATON_MAX_NESTING} refused",
            retryable=False,
        )
    canvas = Canvas.objects.resolve(principal(run), spec["plan"])
    if canvas is None:
        return Failed(error=f"sub-plan {spec['plan']!r} not found", retryable=False)
    step_input = render(spec.get("input") or {}, context_for(run))
    return Waiting(
        nested_run={
            "canvas_id": str(canvas.pk),
            "query": run.query,
            "input": step_input,
            "history": run.history,
        }
    )
