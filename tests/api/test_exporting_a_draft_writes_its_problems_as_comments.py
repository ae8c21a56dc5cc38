"""Export never throws work away: POST export/ writes the editor's current graph (saved or
not) as YAML, and a draft with problems is exported as far as it can be read, with every
problem as a comment at the top. Nothing is saved by exporting."""

import yaml

from canvas.models import CanvasVersion
from canvas.yaml_io import load_yaml
from tests.api import url
from tests.canvas.graph_factory import agent, begin, chain, edge, graph, interact, node


def draft() -> dict:
    g = graph(
        [
            begin(),
            agent("extract", "document-ocr", timeout_seconds="soon"),
            node("check", "coordinator", {"temperature": 5}, label="Check it"),
            agent("helper", "summarizer"),
            interact(),
        ],
        [*chain("begin", "extract", "check", "answer"), edge("check", "helper", "agents")],
    )
    g["nodes"][1]["position"] = {"x": 412.6, "y": -30}
    return g


def test_the_unsaved_editor_state_is_exported_with_its_problems_as_comments(api_alice, canvas):
    versions = CanvasVersion.objects.filter(canvas=canvas).count()
    response = api_alice.post(url(canvas, "export/"), {"graph": draft()}, format="json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert response["Content-Disposition"] == 'attachment; filename="document-processing.yaml"'
    text = response.content.decode()
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[0] == (
        "# This draft has 2 problems: Baton will not import or run it until they are fixed."
    )
    assert any("node extract data.config.timeout_seconds:" in c for c in comments)
    assert any("node check data.config.temperature:" in c for c in comments)

    document = load_yaml(text)  # comments aside, it is plain YAML
    steps = {s["id"]: s for s in document["steps"]}
    assert list(steps) == ["extract", "check"]  # the sub-agent is delegated to, not a step
    assert steps["extract"]["timeout_seconds"] == "soon"  # as written, to be fixed
    assert steps["check"]["name"] == "Check it"
    assert steps["check"]["agents"] == ["summarizer"]
    assert steps["check"]["config"]["temperature"] == 5
    assert document["ui"]["nodes"]["extract"] == {"x": 413, "y": -30}
    assert document["ui"]["nodes"]["helper"]["type"] == "sub_agent"
    assert CanvasVersion.objects.filter(canvas=canvas).count() == versions  # nothing saved


def test_a_saved_draft_exports_too_and_importing_it_lists_the_same_problems(api_alice, canvas):
    api_alice.post(url(canvas, "versions/"), {"graph": draft()}, format="json")
    text = api_alice.get(url(canvas, "export/")).content.decode()
    assert text.startswith("# This draft has 2 problems")
    refused = api_alice.post("/api/canvases/import/", {"yaml": text}, format="json")
    assert refused.status_code == 400
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {"steps.0.timeout_seconds", "steps.1.config.temperature"} <= fields


def test_a_graph_that_compiles_exports_without_comments(api_alice, canvas):
    g = graph(
        [begin(), agent("extract", "document-ocr"), interact()], chain("begin", "extract", "answer")
    )
    text = api_alice.post(url(canvas, "export/"), {"graph": g}, format="json").content.decode()
    assert not text.startswith("#")
    assert yaml.safe_load(text)["steps"] == [
        {"id": "extract", "type": "agent", "agent": "document-ocr"}
    ]


def test_an_export_request_without_a_graph_names_the_field(api_alice, canvas):
    response = api_alice.post(url(canvas, "export/"), {}, format="json")
    assert response.status_code == 400
    assert "graph" in str(response.json())
