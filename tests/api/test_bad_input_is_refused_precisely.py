"""Malformed requests get a precise 4xx naming the field — and nothing is half-written."""

import json

from tests.api import counts, fields, url
from tests.canvas.graph_factory import simple_graph


def save(client, canvas, body, **kwargs):
    return client.post(url(canvas, "versions/"), body, format="json", **kwargs)


def test_a_5_mb_body_is_a_413(api_alice, canvas):
    g = simple_graph()
    g["nodes"][0]["data"]["padding"] = "x" * (5 * 1024 * 1024)
    body = json.dumps({"graph": g})
    assert len(body) > 5 * 1024 * 1024
    before = counts()
    response = api_alice.generic(
        "POST", url(canvas, "versions/"), body, content_type="application/json"
    )
    assert response.status_code == 413
    assert "limit" in response.json()
    assert counts() == before


def test_a_graph_that_is_not_an_object_is_a_400_on_graph(api_alice, canvas):
    before = counts()
    for not_a_graph in ["nodes", [], 3, None]:
        response = save(api_alice, canvas, {"graph": not_a_graph})
        assert response.status_code == 400, not_a_graph
        assert fields(response) == {"graph"}
    assert counts() == before


def test_a_missing_graph_is_a_400_on_graph(api_alice, canvas):
    response = save(api_alice, canvas, {"message": "forgot it"})
    assert response.status_code == 400
    assert fields(response) == {"graph"}


def test_nodes_and_edges_must_be_lists_of_objects_with_string_ids(api_alice, canvas):
    before = counts()
    response = save(api_alice, canvas, {"graph": {"nodes": {}, "edges": "none"}})
    assert fields(response) == {"graph.nodes", "graph.edges"}
    g = simple_graph()
    g["nodes"][2]["id"] = 7
    g["nodes"][3] = "answer"
    del g["edges"][0]["id"]
    response = save(api_alice, canvas, {"graph": g})
    assert response.status_code == 400
    assert fields(response) == {"graph.nodes.2.id", "graph.nodes.3", "graph.edges.0.id"}
    assert counts() == before


def test_a_non_json_body_is_a_400(api_alice, canvas):
    before = counts()
    response = api_alice.generic(
        "POST", url(canvas, "versions/"), b"{graph: nodes", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert counts() == before


def test_an_unsupported_content_type_is_a_415(api_alice, canvas):
    before = counts()
    response = api_alice.generic(
        "POST", url(canvas, "versions/"), b"<graph/>", content_type="application/xml"
    )
    assert response.status_code == 415
    assert counts() == before


def test_a_body_that_is_a_list_is_a_400(api_alice, canvas):
    response = save(api_alice, canvas, [simple_graph()])
    assert response.status_code == 400
    assert response.json()["errors"]


def test_a_message_over_500_characters_is_a_400(api_alice, canvas):
    before = counts()
    response = save(api_alice, canvas, {"graph": simple_graph(), "message": "m" * 501})
    assert fields(response) == {"message"}
    assert counts() == before


def test_an_unknown_canvas_id_is_a_404(api_alice, db):
    assert api_alice.get("/api/canvases/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api_alice.get("/api/canvases/not-a-uuid/").status_code == 404


def test_json_nested_beyond_pythons_limits_is_a_400(api_alice, canvas):
    before = counts()
    body = b'{"graph": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = api_alice.generic(
        "POST", url(canvas, "versions/"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    assert counts() == before


def test_a_node_nested_too_deeply_to_store_is_a_400_on_that_node(api_alice, canvas):
    g = simple_graph()
    # Far deeper than MAX_DEPTH, and still far from Python's recursion limit when the view
    # parses it under a deep stack (an xdist worker's adds frames).
    g["nodes"][1]["data"]["config"]["deep"] = json.loads("[" * 500 + "]" * 500)
    g["extra"] = json.loads("[" * 500 + "]" * 500)
    before = counts()
    response = save(api_alice, canvas, {"graph": g})
    assert response.status_code == 400
    assert fields(response) == {"graph.nodes.1", "graph.extra"}
    assert counts() == before
