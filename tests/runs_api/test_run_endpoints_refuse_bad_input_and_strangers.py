import uuid

import pytest

from coordinator.models import Run
from tests.engine_helpers import wait_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": 5, "input": "not an object"}, "input"),
        ({"query": "q", "history": [{"role": "robot", "content": "x"}]}, "history.0.role"),
        ({"query": "q", "conversation": "not-a-uuid"}, "conversation"),
        (
            {"query": "q", "adaptive": {"triggers": [{"condition": "step.status =="}]}},
            "adaptive.triggers",
        ),
        ({"query": "q", "version": 99}, "version"),
    ],
)
def test_bad_run_requests_get_a_400_naming_the_field(
    alice, api_alice, engine_settings, body, field
):
    canvas = team_canvas(alice)
    response = api_alice.post(f"/api/canvases/{canvas.pk}/runs/", body, format="json")
    assert response.status_code == 400, response.json()
    assert any(e["field"].startswith(field) for e in response.json()["errors"]), response.json()
    assert Run.objects.count() == 0


def test_a_canvas_that_does_not_compile_is_refused_with_its_problems(
    alice, api_alice, engine_settings
):
    canvas = team_canvas(alice)
    version = canvas.versions.get()
    graph = dict(
        version.graph, edges=[e for e in version.graph["edges"] if not e["id"].startswith("d_")]
    )
    canvas.versions.create(number=2, author=alice, graph=graph)
    canvas.latest_version = 2
    canvas.save()
    response = api_alice.post(f"/api/canvases/{canvas.pk}/runs/", {"query": "q"}, format="json")
    assert response.status_code == 400
    assert any(e.get("node") == "coord" for e in response.json()["errors"])
    assert Run.objects.count() == 0


def test_charlie_cannot_see_run_or_control_alices_runs(
    alice, charlie, api_alice, api_charlie, engine_settings
):
    canvas = team_canvas(alice)
    run_id = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/", {"query": "revenue?"}, format="json"
    ).json()["id"]
    wait_for(Run.objects.get(pk=run_id))
    assert (
        api_charlie.post(
            f"/api/canvases/{canvas.pk}/runs/", {"query": "q"}, format="json"
        ).status_code
        == 404
    )
    assert api_charlie.get(f"/api/canvases/{canvas.pk}/runs/").status_code == 404
    for path in ["", "events/", "result/"]:
        assert api_charlie.get(f"/api/runs/{run_id}/{path}").status_code == 404
    for action in ["cancel", "pause", "resume", "intervene", "signal"]:
        assert (
            api_charlie.post(
                f"/api/runs/{run_id}/{action}/", {"text": "x", "event": "e"}, format="json"
            ).status_code
            == 404
        )
    assert api_charlie.get("/api/runs/").json()["results"] == []


def test_controls_that_do_not_apply_answer_409(alice, api_alice, engine_settings):
    canvas = team_canvas(alice)
    run_id = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/", {"query": "revenue?"}, format="json"
    ).json()["id"]
    wait_for(Run.objects.get(pk=run_id))
    for action in ["cancel", "pause", "resume"]:
        response = api_alice.post(f"/api/runs/{run_id}/{action}/")
        assert response.status_code == 409, action
        assert "succeeded" in response.json()["detail"]
    assert (
        api_alice.post(
            f"/api/runs/{run_id}/intervene/", {"text": "late"}, format="json"
        ).status_code
        == 409
    )
    assert api_alice.post(f"/api/runs/{run_id}/intervene/", {}, format="json").status_code == 400


def test_list_filters_validate_their_values(alice, api_alice, engine_settings):
    assert api_alice.get("/api/runs/?status=bogus").status_code == 400
    assert api_alice.get("/api/runs/?canvas=nope").status_code == 400
    assert api_alice.get(f"/api/runs/?canvas={uuid.uuid4()}").json()["results"] == []
    assert api_alice.get("/api/runs/x/events/?after=-1").status_code == 404
