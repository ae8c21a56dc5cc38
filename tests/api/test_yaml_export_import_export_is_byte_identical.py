"""Export → import → export gives the same bytes for every demo canvas and every reference
example, and the canvas that comes back has the same node ids, labels, positions and
viewport: the `ui:` section carries what the plan does not say (docs/plans-yaml.md)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from canvas.models import Agent, Canvas
from demo.management.commands.seed_demo import PYTHON_AGENTS
from tests.api.test_reference_examples_import_with_nothing_dropped import EXAMPLE_AGENTS
from tests.conftest import client_for

FIXTURES = Path(__file__).parent.parent / "canvas" / "fixtures"
EXAMPLES = [
    FIXTURES / "document_processing.yaml",
    FIXTURES / "design_plan.yaml",
    FIXTURES / "reference" / "hub_document_processing.yaml",
    FIXTURES / "reference" / "hub_parallel.yaml",
    FIXTURES / "reference" / "coordinator_configuration.yaml",
    FIXTURES / "reference" / "orchestration_workflow_for_baton.yaml",
]


@pytest.fixture
def designer(db, settings, monkeypatch):
    settings.BATON_PYTHON_AGENTS = PYTHON_AGENTS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("BATON_ADMIN_PASSWORD", "admin-pass-for-tests-1")
    monkeypatch.setenv("BATON_DEMO_PASSWORD", "demo-pass-for-tests-1")
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    for slug in EXAMPLE_AGENTS:
        Agent.objects.get_or_create(
            slug=slug,
            defaults={"name": slug, "description": f"The {slug}.", "shared_with_all_teams": True},
        )
    return client_for(Canvas.objects.get(slug="document-processing").owner)


def export(client, canvas_id) -> str:
    response = client.get(f"/api/canvases/{canvas_id}/export/")
    assert response.status_code == 200, response.content
    return response.content.decode()


def import_(client, text: str) -> str:
    response = client.post("/api/canvases/import/", {"yaml": text}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def graph_of(client, canvas_id) -> dict:
    return client.get(f"/api/canvases/{canvas_id}/").json()["graph"]


def shown(graph: dict) -> list:
    """What a person sees of each node: id, type, label, position; and the viewport."""
    nodes = [
        (n["id"], n["type"], n["data"]["label"], n["position"]["x"], n["position"]["y"])
        for n in graph["nodes"]
    ]
    return [nodes, graph.get("viewport")]


def test_every_demo_canvas_comes_back_byte_for_byte_with_its_ids_labels_and_layout(designer):
    demos = list(Canvas.objects.order_by("slug"))
    assert {c.slug for c in demos} >= {"docs-assistant", "document-processing"}
    for canvas in demos:
        first = export(designer, canvas.pk)
        copy = import_(designer, first)
        assert export(designer, copy) == first, canvas.slug
        assert shown(graph_of(designer, copy)) == shown(graph_of(designer, canvas.pk))


def test_the_docs_assistant_keeps_sub_agent_labels_and_its_answer_node(designer):
    canvas = Canvas.objects.get(slug="docs-assistant")
    copy = graph_of(designer, import_(designer, export(designer, canvas.pk)))
    labels = {n["id"]: (n["type"], n["data"]["label"]) for n in copy["nodes"]}
    assert labels["search-docs"] == ("sub_agent", "Docs search")
    assert labels["interact"] == ("interact", "Answer")
    begin = next(n for n in copy["nodes"] if n["type"] == "begin")
    assert begin["data"]["config"]["greeting"].startswith("Ask me how Baton works")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_reference_example_comes_back_byte_for_byte(designer, example):
    canvas_id = import_(designer, example.read_text())
    first = export(designer, canvas_id)
    assert "\nui:\n" in first
    copy = import_(designer, first)
    assert export(designer, copy) == first
    assert shown(graph_of(designer, copy)) == shown(graph_of(designer, canvas_id))
