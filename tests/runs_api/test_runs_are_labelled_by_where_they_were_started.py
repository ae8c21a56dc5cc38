"""A run's `trigger` label says where it was started: "ui" from the browser app (a signed-in
session), "api" from a client with a token."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.edges.inputs import schema_canvas

pytestmark = pytest.mark.django_db

INPUT = {"input": {"document_id": "a.md", "topic": "t"}}


@pytest.fixture(autouse=True)
def no_execution(monkeypatch):
    # Only the label is under test: the run is created, its first task is not sent.
    monkeypatch.setattr("coordinator.transport.dispatch.enqueue", lambda *args, **kwargs: None)


def test_a_run_started_from_the_browser_is_labelled_ui(alice):
    canvas = schema_canvas(alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    browser.get("/")  # sets the CSRF cookie, as the app's page does
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        f"/api/canvases/{canvas.pk}/runs/",
        INPUT,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 202, response.content
    assert response.json()["trigger"] == "ui"


def test_a_run_started_with_a_token_is_labelled_api(alice):
    canvas = schema_canvas(alice)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    response = client.post(f"/api/canvases/{canvas.pk}/runs/", INPUT, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["trigger"] == "api"
