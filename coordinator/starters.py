"""The templates gallery: the demo canvases and the reference examples, as starting points.

Templates are plan YAML files shipped with Baton, never anything a user typed: the reference
examples in `coordinator/examples/`, and those an installed app declares in its AppConfig's
`baton_starters` (`[{slug, name, file, description}]`, `file` relative to the app — the demo
app declares its canvases this way, so the product never imports the demo). Using one
creates a canvas owned by the user. A template may name agents the user cannot use: the new
canvas still opens, and its validation points at each such sub-agent node so they pick one
of theirs — the gallery says which beforehand.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from canvas.graph import plan_to_graph
from canvas.yaml_io import plan_from_yaml, yaml_limits

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
REFERENCE = "reference example"


@dataclass(frozen=True)
class Starter:
    slug: str
    name: str
    description: str
    source: str  # the declaring app's name, or "reference example"
    yaml_file: Path

    def graph(self) -> dict[str, Any]:
        return _graph(self.yaml_file)


REFERENCE_EXAMPLES = [
    Starter(
        "reference-document-processing",
        "Document processing with adaptive re-planning",
        "The reference plan: OCR, summarise, human approval, publish; the plan is revised "
        "when a step fails or reports low confidence.",
        REFERENCE,
        EXAMPLES_DIR / "hub_document_processing.yaml",
    ),
    Starter(
        "reference-parallel",
        "Three agents in parallel",
        "A parallel step running three agents at once and waiting for all of them.",
        REFERENCE,
        EXAMPLES_DIR / "hub_parallel.yaml",
    ),
    Starter(
        "reference-coordinator",
        "Coordinated research",
        "A Coordinator over web search and SQL metrics with every setting changed from its "
        "default: priority-based selection, parallel coordination, retries with fallback.",
        REFERENCE,
        EXAMPLES_DIR / "coordinator_configuration.yaml",
    ),
    Starter(
        "reference-chapter-workflow",
        "Chapter writing workflow",
        "A workflow.yaml: research, write, review and format a chapter, one agent after another.",
        REFERENCE,
        EXAMPLES_DIR / "chapter_workflow.yaml",
    ),
]


def _declared_by_apps() -> list[Starter]:
    from django.apps import apps

    found = []
    for app in apps.get_app_configs():
        for entry in getattr(app, "baton_starters", ()):
            found.append(
                Starter(
                    entry["slug"],
                    entry["name"],
                    entry.get("description", ""),
                    str(app.verbose_name),
                    Path(app.path) / entry["file"],
                )
            )
    return found


def all_starters() -> list[Starter]:
    """Apps' starters first (the demo's canvases), then the reference examples."""
    return [*_declared_by_apps(), *REFERENCE_EXAMPLES]


def find(slug: str) -> Starter | None:
    return next((s for s in all_starters() if s.slug == slug), None)


@cache
def _graph(path: Path) -> dict[str, Any]:
    plan = plan_from_yaml(path.read_text(encoding="utf-8"), **yaml_limits())
    return plan_to_graph(plan)


def agents_named(graph: dict[str, Any]) -> list[str]:
    """Registry agents the graph's sub-agent nodes name (inline agents need none)."""
    slugs = {
        (node.get("data") or {}).get("config", {}).get("agent")
        for node in graph.get("nodes", [])
        if node.get("type") == "sub_agent"
    }
    return sorted(slug for slug in slugs if slug)


def describe(starter: Starter, usable: set[str]) -> dict[str, Any]:
    graph = starter.graph()
    agents = agents_named(graph)
    return {
        "slug": starter.slug,
        "name": starter.name,
        "description": starter.description,
        "source": starter.source,
        "steps": sum(1 for n in graph["nodes"] if n["type"] not in ("begin", "interact")),
        "agents": agents,
        "missing_agents": [slug for slug in agents if slug not in usable],
    }


def gallery(usable: set[str]) -> list[dict[str, Any]]:
    return [describe(starter, usable) for starter in all_starters()]


def fresh_graph(starter: Starter) -> dict[str, Any]:
    """A copy of the template's graph to save (the cached one is never handed out)."""
    return copy.deepcopy(starter.graph())
