"""Item 8: a run's input is checked against the plan's input_schema when the run is created —
defaults fill missing values, a missing required field is a 400 naming `input.<field>`."""

import pytest

from coordinator.models import Run
from tests.cli import fast_password_hashing, workflow  # noqa: F401
from tests.edges.inputs import schema_canvas
from tests.engine_helpers import step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_default_from_the_schema_is_used_when_the_input_leaves_it_out(
    alice, api_alice, engine_settings
):
    canvas = schema_canvas(alice)
    response = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/",
        {"input": {"document_id": "coordinator.md", "topic": "x"}},
        format="json",
    )
    assert response.status_code == 202, response.json()
    assert response.json()["input"]["reviewer"] == "reviewer"
    run = wait_for(Run.objects.get(pk=response.json()["id"]))
    assert run.status == "succeeded", run.error
    assert step(run, "echo").output == {"reviewer": "reviewer", "doc": "coordinator.md"}


def test_each_missing_required_field_is_named_and_no_run_is_saved(
    alice, api_alice, engine_settings
):
    canvas = schema_canvas(alice)
    response = api_alice.post(f"/api/canvases/{canvas.pk}/runs/", {"input": {}}, format="json")
    assert response.status_code == 400
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["input.document_id", "input.topic"]
    assert Run.objects.count() == 0


def test_a_value_of_the_wrong_type_is_named(alice, api_alice, engine_settings):
    canvas = schema_canvas(alice)
    response = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/",
        {"input": {"document_id": "a", "topic": "b", "reviewer": 7}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "input.reviewer"


def test_the_cli_refuses_a_missing_field_before_starting_anything(alice, engine_settings):
    schema_canvas(alice)
    result = workflow(
        "run", "review-input", "--input", '{"topic": "t"}', "--detach", "--user", "alice"
    )
    assert result.code != 0
    assert "input.document_id" in result.err
    assert Run.objects.count() == 0
