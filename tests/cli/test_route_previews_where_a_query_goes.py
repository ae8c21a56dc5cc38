"""`workflow route "QUERY" [--canvas C]`: the routing preview in the terminal."""

import pytest

from canvas import services
from canvas.models import Agent
from tests.canvas.graph_factory import agent, begin, edge, graph, interact, node
from tests.cli import fast_password_hashing, workflow  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(alice):
    for slug, description in [
        ("weather", "Weather forecasts for a city: temperature, rain, wind and storms."),
        ("billing", "Finds invoices and payments for customers and explains a bill."),
        ("handbook", "Answers how-to questions from the company wiki and handbook."),
    ]:
        Agent.objects.create(slug=slug, name=slug.title(), description=description, owner=alice)


def test_it_prints_the_level_strategies_scores_and_plan(registry):
    result = workflow("route", "Will it rain in Oslo tomorrow?", "--user", "alice")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "level: LOW" in lines
    assert any(line.split() == ["capability_based", "weather"] for line in lines)
    assert any(line.startswith("weather") and "(matched" in line for line in lines)
    assert any("s1-weather: weather ← Will it rain in Oslo tomorrow?" in line for line in lines)


def test_a_canvas_limits_the_agents_to_its_coordinators(registry, alice):
    g = graph(
        [begin(), node("boss", "coordinator"), agent("b", "billing"), interact()],
        [
            edge("begin", "boss"),
            edge("boss", "b", "agents", "delegate"),
            edge("boss", "answer"),
        ],
    )
    canvas = services.create_canvas(owner=alice, name="Billing desk", graph=g)
    result = workflow("route", "Will it rain tomorrow?", "--canvas", canvas.slug, "--user", "alice")
    assert result.code == 0, result.err
    assert "level: NONE" in result.out
    assert "weather" not in result.out


def test_an_empty_query_or_unknown_canvas_is_refused(registry):
    assert workflow("route", "  ", "--user", "alice").code == 2
    missing = workflow("route", "rain?", "--canvas", "nope", "--user", "alice")
    assert missing.code == 2 and "no canvas 'nope' visible to alice" in missing.err
