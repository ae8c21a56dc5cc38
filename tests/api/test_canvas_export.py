"""GET export/ compiles the canvas: YAML by default, plan JSON, or the raw graph.

Drafts and the editor's unsaved state: test_exporting_a_draft_writes_its_problems_as_comments.py."""

import yaml

from canvas.yaml_io import plan_from_yaml
from tests.api import fields, url
from tests.canvas.graph_factory import begin, graph, simple_graph


def test_it_exports_plan_yaml_as_an_attachment(api_alice, canvas):
    response = api_alice.get(url(canvas, "export/"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    assert response["Content-Disposition"] == 'attachment; filename="document-processing.yaml"'
    plan = plan_from_yaml(response.content)
    assert plan.name == "Document processing"
    assert [s.id for s in plan.steps] == ["extract", "summarize"]
    assert yaml.safe_load(response.content)["steps"][1]["depends_on"] == ["extract"]


def test_it_exports_plan_json(api_alice, canvas):
    response = api_alice.get(url(canvas, "export/?format=json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["result"] == "summarize"
    assert [s["agent"] for s in body["steps"]] == ["document-ocr", "summarizer"]


def test_it_exports_the_raw_graph(api_alice, canvas):
    response = api_alice.get(url(canvas, "export/?format=graph"))
    assert response.status_code == 200
    assert response.json() == simple_graph()
    assert (
        response["Content-Disposition"] == 'attachment; filename="document-processing.graph.json"'
    )


def test_it_exports_an_older_version(api_alice, canvas):
    api_alice.post(url(canvas, "versions/"), {"graph": graph([begin()], [])}, format="json")
    response = api_alice.get(url(canvas, "export/?version=1&format=json"))
    assert response.status_code == 200
    assert len(response.json()["steps"]) == 2
    assert api_alice.get(url(canvas, "export/?version=9")).status_code == 404


def test_plan_json_of_a_canvas_that_does_not_compile_is_a_400_with_every_problem(api_alice, canvas):
    g = simple_graph()
    g["nodes"][1]["data"]["config"] = {"agent": "document-ocr", "timeout_seconds": "soon"}
    g["nodes"][2]["type"] = "teleporter"
    api_alice.post(url(canvas, "versions/"), {"graph": g}, format="json")
    response = api_alice.get(url(canvas, "export/?format=json"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    located = {(e.get("node"), e["field"]) for e in response.json()["errors"]}
    assert {("extract", "data.config.timeout_seconds"), ("summarize", "type")} <= located


def test_a_canvas_without_versions_has_no_plan_json(api_alice):
    created = api_alice.post("/api/canvases/", {"name": "Empty"}, format="json").json()
    response = api_alice.get(f"/api/canvases/{created['id']}/export/?format=json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_an_unknown_format_is_refused(api_alice, canvas):
    response = api_alice.get(url(canvas, "export/?format=xml"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert fields(response) == {"format"}
