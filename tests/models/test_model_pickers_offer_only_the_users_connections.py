"""GET /api/models/available/: what the model pickers offer — baton/local and the models
the user's own connections serve (a wildcard lists litellm's known chat models of its
provider), each with the connection a run would use. Another team's connection, and so
its models, never appear."""

import pytest
from django.contrib.auth.models import Group, User

from canvas.models import Connection
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def connections(alice, team):
    other_team = Group.objects.create(name="finance")
    ours = Connection.objects.create(
        name="research-openai",
        api_base="https://api.openai.example/v1",
        model_patterns=["openai/gpt-4o-mini", "openai/gpt-4o*"],
        description="Research's OpenAI account",
    )
    ours.teams.add(team)
    theirs = Connection.objects.create(
        name="finance-anthropic",
        api_base="https://api.anthropic.example/v1",
        model_patterns=["anthropic/claude-haiku-4-5"],
    )
    theirs.teams.add(other_team)
    Connection.objects.create(
        name="everyone-local",
        api_base="http://127.0.0.1:11434/v1",
        model_patterns=["ollama/llama3"],
        all_teams=True,
    )


def options(user):
    return client_for(user).get("/api/models/available/").json()


def test_a_team_member_is_offered_the_built_in_model_and_their_connections_models(
    alice, connections
):
    body = options(alice)
    models = {m["model"]: m["connection"] for m in body["models"]}
    assert body["models"][0] == {
        "model": "baton/local",
        "connection": "",
        "source": "built-in, offline",
    }
    assert models["openai/gpt-4o-mini"] == "research-openai"
    assert models["ollama/llama3"] == "everyone-local"
    expanded = [m for m in body["models"] if m["source"] == "openai/gpt-4o*"]
    assert expanded and all(m["model"].startswith("openai/gpt-4o") for m in expanded)
    assert not any(m["model"].startswith("anthropic/") for m in body["models"])
    assert [c["name"] for c in body["connections"]] == ["everyone-local", "research-openai"]
    assert "api_base" not in body["connections"][0]


def test_someone_in_no_team_sees_only_what_is_shared_with_everyone(connections):
    body = options(User.objects.create_user("dora"))
    assert [m["model"] for m in body["models"]] == ["baton/local", "ollama/llama3"]


def test_staff_are_offered_every_connection(connections):
    body = options(User.objects.create_user("root", is_staff=True))
    assert {c["name"] for c in body["connections"]} == {
        "research-openai",
        "finance-anthropic",
        "everyone-local",
    }


def test_anonymous_clients_get_nothing(connections):
    assert client_for(None).get("/api/models/available/").status_code == 401


def test_unknown_query_parameters_are_refused(alice, connections):
    response = client_for(alice).get("/api/models/available/?provider=openai")
    assert response.status_code == 400


def test_listing_a_wildcards_models_makes_no_network_request(alice, connections, monkeypatch):
    import socket

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: refuse(address))
    body = options(alice)
    assert any(m["source"] == "openai/gpt-4o*" for m in body["models"])
    assert attempts == []
