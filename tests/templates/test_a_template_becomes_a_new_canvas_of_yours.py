"""The templates gallery: the demo canvases and the reference examples, listed with the
agents each names (and which of those you may not use); using one creates a canvas owned by
you whose version 1 holds the template's graph."""

import pytest

from canvas.graph import compile_graph
from canvas.models import Agent, Canvas, CanvasVersion
from canvas.yaml_io import plan_from_yaml
from coordinator.starters import EXAMPLES_DIR, all_starters, find, fresh_graph
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

REFERENCE = "tests/canvas/fixtures/reference"


@pytest.fixture
def demo_agents():
    for slug in ("extract-document", "summarize-text", "publish-summary"):
        Agent.objects.create(slug=slug, name=slug, description="d", shared_with_all_teams=True)


def test_the_gallery_lists_the_demos_and_the_reference_examples(alice, demo_agents):
    gallery = client_for(alice).get("/api/templates/").json()
    by_slug = {t["slug"]: t for t in gallery}
    assert [t["source"] for t in gallery].count("Baton demo") == 2
    assert [t["source"] for t in gallery].count("reference example") == 4
    processing = by_slug["document-processing"]
    assert processing["agents"] == ["extract-document", "publish-summary", "summarize-text"]
    assert processing["missing_agents"] == []
    assert processing["steps"] == 4
    assert by_slug["reference-parallel"]["missing_agents"] == ["agent-a", "agent-b", "agent-c"]


def test_using_a_template_creates_a_canvas_owned_by_the_user(alice, demo_agents):
    response = client_for(alice).post(
        "/api/templates/document-processing/use/", {"name": "My review flow"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    canvas = Canvas.objects.get(pk=body["id"])
    assert (canvas.owner, canvas.name, canvas.latest_version) == (alice, "My review flow", 1)
    assert body["missing_agents"] == []
    version = CanvasVersion.objects.get(canvas=canvas, number=1)
    assert "template" in version.message
    plan = compile_graph(version.graph, canvas.name)
    assert [s.id for s in plan.steps] == ["extract", "summarize", "review", "publish"]


def test_each_user_gets_their_own_copy_and_slugs_never_clash(alice, bob, demo_agents):
    first = client_for(alice).post("/api/templates/docs-assistant/use/", {}, format="json").json()
    second = client_for(alice).post("/api/templates/docs-assistant/use/", {}, format="json").json()
    bobs = client_for(bob).post("/api/templates/docs-assistant/use/", {}, format="json").json()
    assert first["name"] == "Docs assistant"
    assert first["slug"] != second["slug"]
    assert Canvas.objects.get(pk=bobs["id"]).owner == bob
    assert client_for(bob).get(f"/api/canvases/{first['id']}/").status_code == 404


def test_a_template_naming_agents_you_lack_still_opens_and_says_which(alice):
    body = client_for(alice).post("/api/templates/reference-coordinator/use/").json()
    assert body["missing_agents"] == ["sql-metrics", "web-search"]
    problems = client_for(alice).post(f"/api/canvases/{body['id']}/validate/").json()["problems"]
    assert {p["field"] for p in problems} == {"data.config.agent"}


def test_an_unknown_template_is_a_404_and_a_bad_name_a_400(alice):
    client = client_for(alice)
    assert client.post("/api/templates/nope/use/").status_code == 404
    response = client.post("/api/templates/docs-assistant/use/", {"name": "x" * 201}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"
    assert not Canvas.objects.exists()


def test_anonymous_clients_get_nothing():
    assert client_for(None).get("/api/templates/").status_code == 401
    assert client_for(None).post("/api/templates/docs-assistant/use/").status_code == 401


@pytest.mark.parametrize(
    ("shipped", "fixture"),
    [
        ("hub_document_processing.yaml", "hub_document_processing.yaml"),
        ("hub_parallel.yaml", "hub_parallel.yaml"),
        ("coordinator_configuration.yaml", "coordinator_configuration.yaml"),
        ("chapter_workflow.yaml", "orchestration_workflow_for_baton.yaml"),
    ],
)
def test_the_shipped_reference_examples_are_the_tested_ones(shipped, fixture):
    with open(f"{REFERENCE}/{fixture}") as expected:
        assert plan_from_yaml((EXAMPLES_DIR / shipped).read_text()) == plan_from_yaml(
            expected.read()
        )


def test_every_template_compiles_to_a_plan():
    for starter in all_starters():
        assert compile_graph(starter.graph(), starter.slug).steps, starter.slug


def test_the_graph_a_canvas_gets_is_a_copy_not_the_gallerys_own():
    graph = fresh_graph(find("document-processing"))
    graph["nodes"][0]["data"]["label"] = "changed"
    assert fresh_graph(find("document-processing"))["nodes"][0]["data"]["label"] != "changed"
