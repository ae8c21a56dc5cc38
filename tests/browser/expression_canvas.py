"""A canvas for the expression and step-test journeys, made through the API, with one
finished run: Begin (input: document_id) → Shape (transform) → Check (condition) → Interact."""

from __future__ import annotations


def _node(id_, type_, x, config, label):
    return {
        "id": id_,
        "type": type_,
        "position": {"x": x, "y": 120},
        "data": {"label": label, "config": config},
    }


GRAPH = {
    "nodes": [
        _node(
            "begin",
            "begin",
            0,
            {
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "document_id": {"type": "string", "description": "Which document"}
                    },
                    "required": ["document_id"],
                }
            },
            "Begin",
        ),
        _node(
            "shape",
            "transform",
            260,
            {"output": {"title": "Doc {{ input.document_id }}", "pages": 3}},
            "Shape",
        ),
        _node("check", "condition", 520, {"expression": "true"}, "Check"),
        _node("answer", "interact", 780, {"message": ""}, "Answer"),
    ],
    "edges": [
        {"id": "e1", "source": "begin", "target": "shape"},
        {"id": "e2", "source": "shape", "target": "check"},
        {"id": "e3", "source": "check", "sourceHandle": "true", "target": "answer"},
    ],
    "viewport": {"x": 40, "y": 40, "zoom": 1},
}


def csrf_headers(page) -> dict[str, str]:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": token}


def canvas_with_a_finished_run(page, name: str) -> tuple[str, str]:
    """(canvas id, run id): the canvas saved as version 1 and run once with D-42."""
    created = page.request.post(
        "/api/canvases/", data={"name": name, "graph": GRAPH}, headers=csrf_headers(page)
    )
    assert created.status == 201, created.text()
    canvas_id = created.json()["id"]
    started = page.request.post(
        f"/api/canvases/{canvas_id}/runs/",
        data={"query": "shape it", "input": {"document_id": "D-42"}},
        headers=csrf_headers(page),
    )
    assert started.status == 202, started.text()
    run_id = started.json()["id"]
    for _ in range(300):
        run = page.request.get(f"/api/runs/{run_id}/").json()
        if run["status"] in ("succeeded", "failed", "cancelled", "timed_out"):
            assert run["status"] == "succeeded", run
            return canvas_id, run_id
        page.wait_for_timeout(100)
    raise AssertionError(f"run {run_id} did not end")
