"""A canvas as plan YAML and back, losslessly (docs/plans-yaml.md#the-ui-section).

`canvas_to_yaml` writes the plan a graph compiles to, then its `ui:` section
(`canvas/ui_section.py`); a draft that does not compile is written as far as it can be read,
with every problem as a comment at the top. `canvas_from_yaml` reads plan YAML or
workflow.yaml back onto a graph: laid out automatically, then the `ui:` section applied.
For a graph that compiles, export → import → export gives the same text.
"""

from __future__ import annotations

from typing import Any

from canvas.errors import InvalidDocument, Problem, errors_only
from canvas.graph import compile_draft, compile_graph, plan_to_graph, validate_graph
from canvas.plan import Plan
from canvas.ui_section import apply_ui, ui_section
from canvas.yaml_io import UI, draft_to_yaml, dump_yaml, plan_and_ui_from_yaml, plan_to_yaml

__all__ = ["canvas_from_yaml", "canvas_to_yaml", "graph_for_plan"]


def canvas_to_yaml(
    graph: Any, name: str, description: str = "", problems: list[Problem] | None = None
) -> str:
    """Plan YAML with a `ui:` section for `graph`, its problems (default: validate_graph's) as
    comments. Never refuses: a draft with errors is exported as far as it can be read."""
    problems = list(validate_graph(graph) if problems is None else problems)
    try:
        body = plan_to_yaml(compile_graph(graph, name, description))
    except InvalidDocument as exc:
        problems += [p for p in exc.problems if p not in problems]
        document, _ = compile_draft(graph, name, description)
        body = draft_to_yaml(document)
    ui = ui_section(graph)
    return _comments(problems) + body + (dump_yaml({UI: ui}) if ui else "")


def _comments(problems: list[Problem]) -> str:
    if not problems:
        return ""
    errors = errors_only(problems)
    lines = []
    if errors:
        lines.append(
            f"# This draft has {_count(len(errors), 'problem')}: Baton will not import or run "
            "it until they are fixed."
        )
    else:
        lines.append(f"# {_count(len(problems), 'warning')}:")
    for problem in problems:
        where = " ".join(
            part
            for part in (
                problem.node and f"node {problem.node}",
                problem.edge and f"edge {problem.edge}",
                problem.field,
            )
            if part
        )
        kind = "warning: " if problem.severity == "warning" and errors else ""
        text = " ".join(f"{kind}{problem.message}".split())  # one line each
        lines.append(f"# - {where}: {text}" if where else f"# - {text}")
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def graph_for_plan(plan: Plan, ui: Any = None) -> dict:
    """The canvas graph for a plan: `plan_to_graph`'s layout, then the `ui:` section if any."""
    return apply_ui(plan_to_graph(plan), ui)


def canvas_from_yaml(text: str | bytes, **limits: int) -> tuple[Plan, dict]:
    """The Plan and canvas graph of plan YAML or workflow.yaml, or InvalidDocument."""
    plan, ui = plan_and_ui_from_yaml(text, **limits)
    return plan, graph_for_plan(plan, ui)
