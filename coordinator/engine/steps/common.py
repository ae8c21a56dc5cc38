"""What executors share: the expression context a step's templates are rendered in."""

from __future__ import annotations

import json

from coordinator.context import expression_context
from coordinator.models import Run, StepRun


def context_for(run: Run, row: StepRun | None = None) -> dict:
    rows = list(StepRun.objects.filter(run=run, superseded=False))
    return expression_context(run, rows)


def deps_context(run: Run, row: StepRun) -> dict:
    """Without templates a step only needs its dependencies' outputs: load just those (or
    take them from the rows advance() loaded when it claimed this step a moment ago)."""
    loaded = getattr(row, "siblings", None)
    if loaded is not None and all(d in loaded for d in row.depends_on):
        rows = [loaded[d] for d in row.depends_on]
    else:
        rows = list(StepRun.objects.filter(run=run, superseded=False, step_id__in=row.depends_on))
    return expression_context(run, rows) if rows else {"steps": {}}


def templated(*values) -> bool:
    return any(
        v and "{{" in (v if isinstance(v, str) else json.dumps(v, default=str)) for v in values
    )
