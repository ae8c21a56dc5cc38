"""Fixtures for the canvas API: registry agents and canvases owned by alice."""

import pytest

from canvas import services
from canvas.models import Agent
from tests.canvas.graph_factory import simple_graph


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The named users are created with passwords; PBKDF2 made each test take a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def agents(db):
    """The two registry agents simple_graph() names."""
    return [
        Agent.objects.create(
            slug="document-ocr",
            name="OCR",
            description="Reads scanned documents.",
            shared_with_all_teams=True,
        ),
        Agent.objects.create(
            slug="summarizer",
            name="Summarizer",
            description="Summarizes text.",
            shared_with_all_teams=True,
        ),
    ]


@pytest.fixture
def canvas(alice, agents):
    """Alice's private canvas with one saved version (simple_graph)."""
    return services.create_canvas(owner=alice, name="Document processing", graph=simple_graph())


@pytest.fixture
def team_canvas(alice, team, agents):
    """Alice's canvas shared with the research team (alice and bob)."""
    return services.create_canvas(owner=alice, name="Team canvas", team=team, graph=simple_graph())
