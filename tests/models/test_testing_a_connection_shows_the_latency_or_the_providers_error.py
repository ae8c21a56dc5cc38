"""POST /api/models/test/ makes one tiny call through a connection, exactly as a run would
(its key, its api_base, the outbound check), and answers the latency or the provider's
error. Latency is read from the controlled clock, so it is exact here."""

import pytest
from django.contrib.auth.models import User

from coordinator import clock
from tests.conftest import client_for
from tests.engine_helpers import make_connection
from tests.openai_server import openai_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

MODEL = "openai/test-model"


@pytest.fixture
def staff(db):
    return User.objects.create_user("root", is_staff=True)


def test_a_working_connection_answers_with_its_latency(staff, openai_server):  # noqa: F811
    make_connection(openai_server.v1, key="sk-probe")
    manual = clock.ManualClock()

    def slow_reply(handler, body):
        manual.advance(0.25)  # the provider takes a quarter of a second
        handler.send_json(200, openai_server._completion("OK", 9, 1, True))

    openai_server.add(slow_reply)
    with clock.use(manual):
        response = client_for(staff).post(
            "/api/models/test/", {"connection": "test-models", "model": MODEL}, format="json"
        )
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "model": MODEL,
        "connection": "test-models",
        "latency_ms": 250,
        "reply": "OK",
        "tokens": 10,
        "status_code": None,
    }
    (request,) = openai_server.requests
    assert request.headers["Authorization"] == "Bearer sk-probe"
    assert request.body["max_tokens"] == 5
    assert request.body["model"] == "test-model"


def test_a_provider_error_is_shown_in_the_providers_words(staff, openai_server):  # noqa: F811
    make_connection(openai_server.v1)
    openai_server.error(401, "Incorrect API key provided")
    body = (
        client_for(staff)
        .post("/api/models/test/", {"connection": "test-models", "model": MODEL}, format="json")
        .json()
    )
    assert body["ok"] is False
    assert "Incorrect API key provided" in body["error"]
    assert body["status_code"] == 401


def test_a_refused_destination_is_an_error_not_a_request(staff, openai_server, settings):  # noqa: F811
    settings.BATON_EGRESS_ALLOWLIST = []  # loopback is not a public address
    make_connection(openai_server.v1)
    body = (
        client_for(staff)
        .post("/api/models/test/", {"connection": "test-models", "model": MODEL}, format="json")
        .json()
    )
    assert body["ok"] is False and "refused" in body["error"]
    assert openai_server.requests == []


def test_a_secret_without_a_value_is_reported_by_name(staff, openai_server, monkeypatch):  # noqa: F811
    make_connection(openai_server.v1)
    monkeypatch.delenv("BATON_TEST_SECRET_TEST_MODELS")
    body = (
        client_for(staff)
        .post("/api/models/test/", {"connection": "test-models", "model": MODEL}, format="json")
        .json()
    )
    assert body["ok"] is False
    assert "'test-models-key' has no value" in body["error"]
    assert "BATON_TEST_SECRET" not in body["error"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"connection": "nope", "model": MODEL}, "connection"),
        ({"connection": "test-models", "model": "anthropic/claude"}, "model"),
        ({"model": MODEL}, "connection"),
        ({"connection": "test-models"}, "model"),
    ],
)
def test_an_unknown_connection_or_unserved_model_is_a_400_naming_the_field(
    staff,
    openai_server,  # noqa: F811
    payload,
    field,
):
    make_connection(openai_server.v1)
    response = client_for(staff).post("/api/models/test/", payload, format="json")
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}
    assert openai_server.requests == []


def test_tests_are_rate_limited_per_user(staff, openai_server, settings):  # noqa: F811
    settings.BATON_THROTTLE_RATES = {**settings.BATON_THROTTLE_RATES, "model_test": "2/min"}
    make_connection(openai_server.v1)
    openai_server.reply("OK").reply("OK")
    client = client_for(staff)
    statuses = [
        client.post(
            "/api/models/test/", {"connection": "test-models", "model": MODEL}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert len(openai_server.requests) == 2


def test_only_staff_may_test(openai_server):  # noqa: F811
    make_connection(openai_server.v1)
    user = User.objects.create_user("dora")
    response = client_for(user).post(
        "/api/models/test/", {"connection": "test-models", "model": MODEL}, format="json"
    )
    assert response.status_code == 403
    assert openai_server.requests == []
