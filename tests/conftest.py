"""Shared fixtures: named users (alice owns, bob reviews, charlie has no access)."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", "alice@example.com", "alice-pass-123")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob", "bob@example.com", "bob-pass-123")


@pytest.fixture
def charlie(db):
    return User.objects.create_user("charlie", "charlie@example.com", "charlie-pass-123")


@pytest.fixture
def team(alice, bob):
    group = Group.objects.create(name="research")
    alice.groups.add(group)
    bob.groups.add(group)
    return group


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_alice(alice):
    return client_for(alice)


@pytest.fixture
def api_bob(bob):
    return client_for(bob)


@pytest.fixture
def api_charlie(charlie):
    return client_for(charlie)


@pytest.fixture
def api_anon(db):
    return APIClient()


@pytest.fixture
def engine_settings(settings, tmp_path, monkeypatch):
    """Engine tests: test agents allowlisted, fast backoff, no background sweeper."""
    from tests.engine_agents import ALL

    settings.BATON_PYTHON_AGENTS = [*settings.BATON_PYTHON_AGENTS, *ALL]
    settings.BATON_RETRY_BACKOFF_SECONDS = 0.01
    settings.BATON_SWEEPER = False
    log = tmp_path / "agent-calls.jsonl"
    monkeypatch.setenv("BATON_TEST_AGENT_LOG", str(log))
    monkeypatch.setenv("BATON_TEST_FLAKY_MARKER", str(tmp_path / "flaky-marker"))
    return settings


@pytest.fixture
def agent_calls(engine_settings, tmp_path):
    """Reads the calls the test agents logged, as dicts."""
    import json

    def read():
        path = tmp_path / "agent-calls.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    return read
