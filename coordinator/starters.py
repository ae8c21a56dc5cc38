"""The templates gallery: the demo canvases and the reference examples, as starting points.

A template is read from files shipped with Baton (never from anything a user typed) and
turned into a graph; using one creates a canvas owned by the user. A template may name
agents the user cannot use: the new canvas still opens, and its validation points at each
such sub-agent node so they pick one of theirs — the gallery says which beforehand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from canvas.graph import plan_to_graph
from canvas.yaml_io import plan_from_yaml, yaml_limits

DEMO_DIR = Path(__file__).resolve().parent / "demo"
EXAMPLES_DIR = DEMO_DIR / "examples"


@dataclass(frozen=True)
class Starter:
    slug: str
    name: str
    description: str
    source: str  # "demo" or "reference example"
    yaml_file: Path | None = None  # else the docs assistant's graph

    def graph(self) -> dict[str, Any]:
        return _graph(self.slug)


STARTERS = [
    Starter(
        "docs-assistant",
        "Docs assistant",
        "Begin → Coordinator → Interact: a Coordinator chooses between docs search, workspace "
        "statistics and a summariser for each question (multi-turn chat).",
        "demo",
    ),
    Starter(
        "document-processing",
        "Document processing",
        "Extract a document, summarise it, have a reviewer approve the summary, publish it.",
        "demo",
        DEMO_DIR / "document_processing.yaml",
    ),
    Starter(
        "reference-document-processing",
        "Document processing with adaptive re-planning",
        "The reference plan: OCR, summarise, human approval, publish; the plan is revised "
        "when a step fails or reports low confidence.",
        "reference example",
        EXAMPLES_DIR / "hub_document_processing.yaml",
    ),
    Starter(
        "reference-parallel",
        "Three agents in parallel",
        "A parallel step running three agents at once and waiting for all of them.",
        "reference example",
        EXAMPLES_DIR / "hub_parallel.yaml",
    ),
    Starter(
        "reference-coordinator",
        "Coordinated research",
        "A Coordinator over web search and SQL metrics with every setting changed from its "
        "default: priority-based selection, parallel coordination, retries with fallback.",
        "reference example",
        EXAMPLES_DIR / "coordinator_configuration.yaml",
    ),
    Starter(
        "reference-chapter-workflow",
        "Chapter writing workflow",
        "A workflow.yaml: research, write, review and format a chapter, one agent after another.",
        "reference example",
        EXAMPLES_DIR / "chapter_workflow.yaml",
    ),
]
BY_SLUG = {starter.slug: starter for starter in STARTERS}


@cache
def _graph(slug: str) -> dict[str, Any]:
    starter = BY_SLUG[slug]
    if starter.yaml_file is None:
        from coordinator.management.commands.seed_demo import docs_assistant_graph

        return docs_assistant_graph()
    plan = plan_from_yaml(starter.yaml_file.read_text(encoding="utf-8"), **yaml_limits())
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
    return [describe(starter, usable) for starter in STARTERS]


def fresh_graph(slug: str) -> dict[str, Any]:
    """A copy of the template's graph to save (the cached one is never handed out)."""
    import copy

    return copy.deepcopy(_graph(slug))
