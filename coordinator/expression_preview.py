"""What an expression would give: its syntax checked by the real parser and, given a run,
its value computed by the real evaluator (coordinator.expressions) against that run's data.

The editor's expression fields call this through POST /api/expressions/preview/ so that a
user sees one wording for a syntax error — the one a run would fail with."""

from __future__ import annotations

import json
from typing import Any, Literal

from coordinator.context import expression_context
from coordinator.expressions import ExpressionError, evaluate, render, validate_expression

Mode = Literal["template", "condition"]

#: longest preview text sent back; the editor shows a preview, not a download
MAX_PREVIEW_CHARS = 20_000


def run_context(run) -> dict:
    """What a step of `run` sees: its input, query and every current step's output."""
    from coordinator.models import StepRun

    return expression_context(run, StepRun.objects.filter(run=run, superseded=False))


def preview(text: str, mode: Mode, context: dict | None) -> dict[str, Any]:
    """{valid, error, evaluated, value, text, truncated} for `text` in `mode`.

    Without a context only the syntax is checked. Evaluation errors (an undefined name,
    a refused operation) are reported, not raised: the draft is the user's to fix."""
    error = validate_expression(text, mode=mode)
    result: dict[str, Any] = {"valid": error is None, "error": error, "evaluated": False}
    if error is not None or context is None:
        return result
    try:
        value = render(text, context) if mode == "template" else evaluate(text, context)
    except ExpressionError as exc:
        return {**result, "error": str(exc)}
    shown = value if isinstance(value, str) else json.dumps(value, indent=2, default=str)
    truncated = len(shown) > MAX_PREVIEW_CHARS
    result |= {"evaluated": True, "text": shown[:MAX_PREVIEW_CHARS], "truncated": truncated}
    if mode == "condition":
        result["truthy"] = bool(value)
    if not truncated:
        result["value"] = value
    return result
