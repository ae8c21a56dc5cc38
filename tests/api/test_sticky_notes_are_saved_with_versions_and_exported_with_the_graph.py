"""A note on the canvas is saved with the version, read back unchanged, exported with the
raw graph, and leaves the compiled plan exactly as without it."""

from tests.api import url
from tests.canvas.graph_factory import simple_graph

NOTE = {
    "id": "note_1",
    "type": "note",
    "position": {"x": 120, "y": -200},
    "data": {"label": "Note", "config": {"text": "OCR is slow on scans: keep timeouts long."}},
}


def annotated():
    graph = simple_graph()
    return {**graph, "nodes": [*graph["nodes"], NOTE]}


def test_a_note_is_saved_read_back_and_exported_with_the_graph(api_alice, canvas, agents):
    saved = api_alice.post(url(canvas, "versions/"), {"graph": annotated()}, format="json")
    assert saved.status_code == 201, saved.json()
    assert saved.json()["problems"] == []
    number = saved.json()["number"]

    stored = api_alice.get(url(canvas, f"versions/{number}/")).json()["graph"]
    assert NOTE in stored["nodes"]
    exported = api_alice.get(url(canvas, "export/") + "?format=graph").json()
    assert NOTE in exported["nodes"]


def test_the_plan_compiled_from_an_annotated_canvas_has_no_trace_of_the_note(
    api_alice, canvas, agents
):
    api_alice.post(url(canvas, "versions/"), {"graph": annotated()}, format="json")
    plan = api_alice.get(url(canvas, "export/") + "?format=json").json()
    assert [step["id"] for step in plan["steps"]] == ["extract", "summarize"]
    assert "OCR is slow" not in str(plan)
