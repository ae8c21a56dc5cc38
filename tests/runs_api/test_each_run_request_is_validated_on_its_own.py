"""A thread validates run requests with one serializer it keeps (coordinator/api/views.py,
_run_create_body): a request's errors or data never carry over to the next one."""

import pytest

from coordinator.models import Run
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def fields(response) -> set[str]:
    return {e["field"].split(".")[0] for e in response.json()["errors"]}


def test_a_refused_request_leaves_nothing_behind_for_the_next(alice, api_alice, engine_settings):
    canvas = team_canvas(alice)
    url = f"/api/canvases/{canvas.pk}/runs/"
    bad_history = {"query": "q", "history": [{"role": "robot", "content": "x"}]}
    response = api_alice.post(url, bad_history, format="json")
    assert response.status_code == 400 and fields(response) == {"history"}, response.json()

    response = api_alice.post(url, {"query": "first"}, format="json")
    assert response.status_code == 202, response.json()
    assert Run.objects.get(pk=response.json()["id"]).history == []

    response = api_alice.post(url, {"query": "q", "input": "not an object"}, format="json")
    assert response.status_code == 400 and fields(response) == {"input"}, response.json()

    response = api_alice.post(url, {"query": "second", "input": {"a": 1}}, format="json")
    assert response.status_code == 202, response.json()
    second = Run.objects.get(pk=response.json()["id"])
    assert (second.query, second.input) == ("second", {"a": 1})
    assert Run.objects.count() == 2
