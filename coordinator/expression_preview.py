"""What an expression would give: its syntax checked by the real parser and, given a run,
its value computed by the real evaluator (coordinator.expressions) against that run's data.

The editor's expression fields call this through POST /api/expressions/preview/ so that a
user sees one wording for a syntax error — the one a run would fail with."""

from __future__ import annotations

import json
from typing import Any, Literal

from coordinator.context import expression_context
from coordinator.expressions import ExpressionError, evaluate, render, validate_expression
from coordinator.models import StepRun

Mode = Literal["template", "condition"]

#: longest preview text sent back; the editor shows a preview, not a download
MAX_PREVIEW_CHARS = 20_000


def run_context(run) -> dict:
    """What a step of `run` sees: its input, query and every current step's output."""
    return expression_context(run, StepRun.objects.filter(run=run, superseded=False))


def _strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, text) of every string inside a JSON value, e.g. ("title", "Doc {{ x }}")."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{path}[{i}]")]
    return []


def preview_value(value: Any, context: dict | None) -> dict[str, Any]:
    """The same for a JSON value whose strings may hold templates (a transform's output,
    a step's input): every string checked, the whole value rendered as a run renders it."""
    for path, text in _strings(value):
        error = validate_expression(text, mode="template")
        if error is not None:
            where = f"{path}: " if path else ""
            return {"valid": False, "error": where + error, "evaluated": False}
    return preview(value, "template", context)


def preview(text: Any, mode: Mode, context: dict | None) -> dict[str, Any]:
    """{valid, error, evaluated, value, text, truncated} for `text` in `mode`.

    Without a context only the syntax is checked. Evaluation errors (an undefined name,
    a refused operation) are reported, not raised: the draft is the user's to fix."""
    error = validate_expression(text, mode=mode) if isinstance(text, str) else None
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
