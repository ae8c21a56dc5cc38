"""POST /api/expressions/preview/ checks an expression with the server's parser and, given a
run the user may see, evaluates it with the real evaluator against that run's data;
GET /api/runs/<id>/context/ is that data."""

import pytest

from coordinator.models import Run
from tests.engine_helpers import start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = {
    "name": "shape",
    "input_schema": {"type": "object", "properties": {"doc": {"type": "string"}}},
    "steps": [
        {"id": "fetch", "type": "transform", "output": {"title": "{{ input.doc }}", "pages": 3}},
    ],
}
URL = "/api/expressions/preview/"


@pytest.fixture
def finished_run(alice, engine_settings) -> Run:
    return wait_for(start(alice, PLAN, query="shape it", input={"doc": "Q3 report"}))


def test_a_syntax_error_is_reported_in_the_words_a_run_would_use(api_alice):
    response = api_alice.post(URL, {"expression": "{{ input.doc + }}"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False and body["evaluated"] is False
    assert body["error"].startswith("syntax error at line 1:")


def test_without_a_run_a_correct_expression_is_only_checked(api_alice):
    body = api_alice.post(URL, {"expression": "Hi {{ input.name }}"}, format="json").json()
    assert body == {"valid": True, "error": None, "evaluated": False}


def test_against_a_run_it_shows_the_value_from_that_runs_outputs(api_alice, finished_run):
    body = api_alice.post(
        URL,
        {"expression": "{{ steps.fetch.output }}", "run": str(finished_run.pk)},
        format="json",
    ).json()
    assert body["evaluated"] is True
    assert body["value"] == {"title": "Q3 report", "pages": 3}
    text = api_alice.post(
        URL,
        {
            "expression": "{{ input.doc }} has {{ steps.fetch.output.pages }} pages",
            "run": str(finished_run.pk),
        },
        format="json",
    ).json()
    assert text["value"] == "Q3 report has 3 pages"


def test_a_condition_reports_its_truth(api_alice, finished_run):
    body = api_alice.post(
        URL,
        {
            "expression": "steps.fetch.output.pages > 2",
            "mode": "condition",
            "run": str(finished_run.pk),
        },
        format="json",
    ).json()
    assert body["value"] is True and body["truthy"] is True


def test_an_unknown_name_is_an_evaluation_error_not_a_request_error(api_alice, finished_run):
    response = api_alice.post(
        URL, {"expression": "{{ steps.nope.output }}", "run": str(finished_run.pk)}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True and body["evaluated"] is False
    assert body["error"].startswith("undefined:")


def test_the_run_context_is_what_expressions_see(api_alice, finished_run):
    response = api_alice.get(f"/api/runs/{finished_run.pk}/context/")
    assert response.status_code == 200
    context = response.json()["context"]
    assert context["input"] == {"doc": "Q3 report"}
    assert context["query"] == "shape it"
    assert context["steps"]["fetch"]["output"] == {"title": "Q3 report", "pages": 3}


def test_a_run_of_a_canvas_the_user_cannot_see_is_not_found(api_charlie, finished_run):
    response = api_charlie.post(
        URL, {"expression": "{{ input }}", "run": str(finished_run.pk)}, format="json"
    )
    assert response.status_code == 404
    assert api_charlie.get(f"/api/runs/{finished_run.pk}/context/").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expression": ["a"]}, "expression"),
        ({"expression": "x" * 10_001}, "expression"),
        ({"expression": "a", "mode": "python"}, "mode"),
        ({"expression": "a", "run": "not-a-uuid"}, "run"),
    ],
)
def test_bad_input_is_refused_naming_the_field(api_alice, body, field):
    response = api_alice.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in str(response.json())


def test_a_json_value_is_rendered_whole_as_a_transform_would(api_alice, finished_run):
    body = api_alice.post(
        URL,
        {
            "value": {"name": "{{ input.doc }}", "pages": ["{{ steps.fetch.output.pages }}"]},
            "run": str(finished_run.pk),
        },
        format="json",
    ).json()
    assert body["evaluated"] is True
    assert body["value"] == {"name": "Q3 report", "pages": [3]}


def test_a_syntax_error_in_a_json_value_names_where_it_is(api_alice):
    body = api_alice.post(URL, {"value": {"a": ["ok", "{{ x + }}"]}}, format="json").json()
    assert body["valid"] is False
    assert body["error"].startswith("a[1]: syntax error at line 1:")


@pytest.mark.parametrize(
    "body",
    [{"expression": "a", "value": "a"}, {"mode": "template"}, {"value": ["x" * 100_001]}],
)
def test_exactly_one_small_expression_or_value_is_accepted(api_alice, body):
    response = api_alice.post(URL, body, format="json")
    assert response.status_code == 400
    assert "expression" in str(response.json()) or "value" in str(response.json())


def test_a_loop_until_sees_its_own_step_as_step(api_alice, finished_run):
    body = api_alice.post(
        URL,
        {
            "expression": "step.output.pages >= 3 and step.iteration == 1",
            "mode": "condition",
            "run": str(finished_run.pk),
            "step": "fetch",
        },
        format="json",
    ).json()
    assert body["evaluated"] is True and body["value"] is True
