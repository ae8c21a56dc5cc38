"""The seeded canvases are valid graphs that compile to the intended plans."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from canvas.models import Agent, Canvas
from demo.management.commands.seed_demo import (
    DOCUMENT_PROCESSING_YAML,
    PYTHON_AGENTS,
    docs_assistant_graph,
)

graph_module = pytest.importorskip("canvas.graph")


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed


@pytest.fixture
def seeded(db, settings, monkeypatch):
    settings.BATON_PYTHON_AGENTS = PYTHON_AGENTS
    settings.PASSWORD_HASHERS = FAST_HASHER
    monkeypatch.setenv("BATON_ADMIN_PASSWORD", "admin-pass-for-tests-1")
    monkeypatch.setenv("BATON_DEMO_PASSWORD", "demo-pass-for-tests-1")
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())


def stored_graph(slug):
    return Canvas.objects.get(slug=slug).current_version().graph


def errors(problems):
    return [p for p in problems if p.severity == "error"]


def test_the_docs_assistant_graph_is_valid_and_compiles_to_one_coordinator(seeded):
    graph = stored_graph("docs-assistant")
    assert graph == docs_assistant_graph()
    known = set(Agent.objects.values_list("slug", flat=True))
    assert graph_module.validate_graph(graph, known) == []
    plan = graph_module.compile_graph(graph, "Docs assistant")
    assert [s.type for s in plan.steps] == ["coordinator"]
    coordinator = plan.steps[0]
    assert coordinator.agents == ["search-docs", "workspace-stats", "summarize-text"]
    assert coordinator.config.selection_strategy == "capability_based"
    assert plan.result == coordinator.id


def test_the_docs_assistant_uses_documented_handles(seeded):
    graph = stored_graph("docs-assistant")
    types = {n["id"]: n["type"] for n in graph["nodes"]}
    assert sorted(types.values()) == ["begin", "coordinator", "interact", *["sub_agent"] * 3]
    delegation = [e for e in graph["edges"] if e["sourceHandle"] == "agents"]
    flow = [e for e in graph["edges"] if e["sourceHandle"] == "out"]
    assert len(delegation) == 3 and all(types[e["target"]] == "sub_agent" for e in delegation)
    assert [(types[e["source"]], types[e["target"]]) for e in flow] == [
        ("begin", "coordinator"),
        ("coordinator", "interact"),
    ]
    assert all(e["targetHandle"] == "in" for e in flow)


def test_the_document_processing_canvas_is_the_yaml_plan(seeded):
    graph = stored_graph("document-processing")
    known = set(Agent.objects.values_list("slug", flat=True))
    assert errors(graph_module.validate_graph(graph, known)) == []
    plan = graph_module.compile_graph(graph, "document-processing")
    steps = {s.id: s for s in plan.steps}
    assert list(steps) == ["extract", "summarize", "review", "publish"]
    assert steps["extract"].agent == "extract-document"
    assert steps["summarize"].agent == "summarize-text"
    assert steps["summarize"].depends_on == ["extract"]
    assert steps["review"].type == "human_approval"
    assert steps["review"].assignee == "{{ input.reviewer }}"
    assert steps["publish"].agent == "publish-summary"
    assert steps["publish"].depends_on == ["review"]
    assert steps["publish"].input["summary"] == "{{ steps.summarize.output.summary }}"
    assert plan.result == "publish"


def test_every_agent_the_demo_plans_name_is_registered(seeded):
    from canvas.yaml_io import plan_from_yaml

    plan = plan_from_yaml(Path(DOCUMENT_PROCESSING_YAML).read_text())
    registered = set(Agent.objects.values_list("slug", flat=True))
    named = {s.agent for s in plan.all_steps() if s.type == "agent"}
    assert named <= registered
    assert set(docs_assistant_graph_agents()) <= registered


def docs_assistant_graph_agents():
    return [
        n["data"]["config"]["agent"]
        for n in docs_assistant_graph()["nodes"]
        if n["type"] == "sub_agent"
    ]


def test_every_allowlisted_demo_callable_resolves(settings):
    settings.BATON_PYTHON_AGENTS = PYTHON_AGENTS
    from coordinator.agents.python import resolve
    from demo import agents as demo

    for path in PYTHON_AGENTS:
        assert resolve(path) is getattr(demo, path.rsplit(".", 1)[1])
