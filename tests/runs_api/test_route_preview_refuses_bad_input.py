"""route/preview/ answers bad input with 400 and the field at fault."""

import pytest

from canvas.models import Agent
from tests.engine.coordinator_plans import register_team

pytestmark = pytest.mark.django_db

URL = "/api/route/preview/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def errors(client, body) -> dict[str, str]:
    response = client.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["detail"] == "Invalid input."
    return {e["field"]: e["message"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    "body",
    [{}, {"query": ""}, {"query": "   "}, {"query": None}],
    ids=["missing", "empty", "blank", "null"],
)
def test_a_query_is_required(api_alice, body):
    assert "query" in errors(api_alice, body)


def test_a_query_over_20000_characters_is_refused(api_alice):
    assert "20000" in errors(api_alice, {"query": "x" * 20_001})["query"]


def test_an_unknown_strategy_is_refused(api_alice):
    message = errors(api_alice, {"query": "revenue", "strategy": "random"})["strategy"]
    assert "random" in message


def test_unknown_and_disabled_agents_are_refused(api_alice):
    register_team()
    Agent.objects.filter(slug="echo").update(enabled=False)
    body = {"query": "revenue", "agents": ["sales", "nope", "echo"]}
    response = api_alice.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "agents", "message": "unknown agent 'nope'"},
        {"field": "agents", "message": "agent 'echo' is disabled"},
    ]


@pytest.mark.parametrize("agents", [[], "sales", [["sales"]]], ids=["empty", "string", "nested"])
def test_agents_must_be_a_non_empty_list_of_slugs(api_alice, agents):
    register_team()
    assert "agents" in " ".join(errors(api_alice, {"query": "revenue", "agents": agents}))
