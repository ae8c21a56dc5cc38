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
