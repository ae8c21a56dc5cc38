"""Sticky notes travel in the YAML's `ui:` section: export writes each note's text and
position, import creates it again, and export → import → export gives the same text."""

import yaml

from tests.api import url
from tests.canvas.graph_factory import simple_graph

NOTES = [
    {
        "id": "note_1",
        "type": "note",
        "position": {"x": 120, "y": -200},
        "data": {"label": "Note", "config": {"text": "OCR is slow on scans: keep timeouts long."}},
    },
    {
        "id": "note_2",
        "type": "note",
        "position": {"x": 400, "y": -200},
        "data": {"label": "Owners", "config": {"text": "Extract: Ana\nSummarize: Bo"}},
    },
]


def annotated():
    graph = simple_graph()
    return {**graph, "nodes": [*graph["nodes"], *NOTES]}


def export_yaml(client, canvas_id) -> str:
    response = client.get(f"/api/canvases/{canvas_id}/export/")
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_notes_are_exported_imported_and_exported_again_unchanged(api_alice, canvas, agents):
    saved = api_alice.post(url(canvas, "versions/"), {"graph": annotated()}, format="json")
    assert saved.status_code == 201, saved.json()
    first = export_yaml(api_alice, canvas.id)
    notes = {k: v for k, v in yaml.safe_load(first)["ui"]["nodes"].items() if "note" in k}
    assert notes == {
        "note_1": {"type": "note", "x": 120, "y": -200, "text": NOTES[0]["data"]["config"]["text"]},
        "note_2": {
            "type": "note",
            "label": "Owners",
            "x": 400,
            "y": -200,
            "text": "Extract: Ana\nSummarize: Bo",
        },
    }

    imported = api_alice.post("/api/canvases/import/", {"yaml": first}, format="json")
    assert imported.status_code == 201, imported.json()
    graph = api_alice.get(f"/api/canvases/{imported.json()['id']}/").json()["graph"]
    assert [n for n in graph["nodes"] if n["type"] == "note"] == NOTES
    assert export_yaml(api_alice, imported.json()["id"]) == first


def test_a_note_entry_without_text_or_on_a_taken_id_is_refused_naming_it(api_alice, canvas, agents):
    api_alice.post(url(canvas, "versions/"), {"graph": annotated()}, format="json")
    document = yaml.safe_load(export_yaml(api_alice, canvas.id))
    step_id = next(k for k, v in document["ui"]["nodes"].items() if "type" not in v)

    no_text = {**document, "ui": {"nodes": {"note_9": {"type": "note", "x": 0, "y": 0}}}}
    response = api_alice.post(
        "/api/canvases/import/", {"yaml": yaml.safe_dump(no_text)}, format="json"
    )
    assert response.status_code == 400
    assert "ui.nodes.note_9" in str(response.json())

    taken = {**document, "ui": {"nodes": {step_id: {"type": "note", "x": 0, "y": 0, "text": ""}}}}
    response = api_alice.post(
        "/api/canvases/import/", {"yaml": yaml.safe_dump(taken)}, format="json"
    )
    assert response.status_code == 400
    assert f"ui.nodes.{step_id}" in str(response.json())
