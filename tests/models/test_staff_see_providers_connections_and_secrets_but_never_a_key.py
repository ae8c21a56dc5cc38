"""The Models page's data (GET /api/models/): every provider litellm supports, which
connections serve it and whether its usual key is set; every connection with its models
and teams; every secret and whether it has a value — never a value or any part of one.
Only staff may read it, and reading it sends nothing over the network."""

import json
import socket

import pytest
from django.contrib.auth.models import Group, User

from canvas.models import Connection, Secret
from tests.conftest import client_for
from tests.engine_helpers import make_connection

pytestmark = pytest.mark.django_db

KEY = "sk-live-Zq81-very-secret-value"


@pytest.fixture
def staff(db):
    return User.objects.create_user("root", is_staff=True)


@pytest.fixture
def world(monkeypatch):
    team = Group.objects.create(name="research")
    shared = make_connection("http://127.0.0.1:9/v1", key=KEY, name="openai-shared")
    empty = Secret.objects.create(name="unset-key", source="env", env_var="BATON_TEST_NOT_SET")
    monkeypatch.delenv("BATON_TEST_NOT_SET", raising=False)
    team_only = Connection.objects.create(
        name="anthropic-team",
        api_base="https://api.anthropic.example/v1",
        model_patterns=["anthropic/claude-haiku-4-5"],
        secret=empty,
    )
    team_only.teams.add(team)
    monkeypatch.setenv("MISTRAL_API_KEY", KEY)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return shared, team_only


def test_staff_see_each_connection_with_its_models_teams_and_whether_its_key_is_present(
    staff, world
):
    body = client_for(staff).get("/api/models/").json()
    connections = {c["name"]: c for c in body["connections"]}
    assert connections["openai-shared"] == {
        "name": "openai-shared",
        "description": "",
        "api_base": "http://127.0.0.1:9/v1",
        "model_patterns": ["openai/*"],
        "secret": "openai-shared-key",
        "secret_has_value": True,
        "test_model": "",
        "all_teams": True,
        "teams": [],
    }
    team_only = connections["anthropic-team"]
    assert (team_only["secret_has_value"], team_only["teams"], team_only["all_teams"]) == (
        False,
        ["research"],
        False,
    )
    assert team_only["test_model"] == "anthropic/claude-haiku-4-5"
    secrets = {s["name"]: s for s in body["secrets"]}
    assert secrets["unset-key"]["has_value"] is False
    assert secrets["openai-shared-key"]["has_value"] is True


def test_providers_come_from_litellm_with_the_connections_that_serve_them(staff, world):
    providers = {p["name"]: p for p in client_for(staff).get("/api/models/").json()["providers"]}
    assert len(providers) > 50  # litellm's own list, not a hand-written one
    assert providers["openai"]["connections"] == ["openai-shared"]
    assert providers["anthropic"]["connections"] == ["anthropic-team"]
    assert providers["groq"]["connections"] == []
    assert providers["mistral"]["key_in_environment"] is True
    assert providers["openai"]["key_in_environment"] is False
    assert providers["openai"]["expected_variables"] == ["OPENAI_API_KEY"]


def test_no_key_or_any_part_of_one_appears_anywhere_in_the_answer(staff, world):
    text = json.dumps(client_for(staff).get("/api/models/").json())
    for piece in (KEY, KEY[:8], KEY[-8:]):
        assert piece not in text


def test_reading_the_catalogue_makes_no_network_request(staff, world, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: refuse(address))
    assert client_for(staff).get("/api/models/").status_code == 200
    assert attempts == []


@pytest.mark.parametrize("role", ["plain user", "anonymous"])
def test_only_staff_may_read_it(role, world):
    user = User.objects.create_user("dora") if role == "plain user" else None
    assert client_for(user).get("/api/models/").status_code == (403 if user else 401)


def test_the_page_is_for_staff_only(staff, client):
    client.force_login(User.objects.create_user("dora"))
    assert client.get("/models/").status_code == 403
    client.force_login(staff)
    page = client.get("/models/")
    assert page.status_code == 200 and b'data-page="models"' in page.content
