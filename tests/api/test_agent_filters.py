"""The registry list filters by kind, enabled and a search over slug, name and description."""

import pytest

from canvas.models import Agent


@pytest.fixture
def registry(alice):
    Agent.objects.create(slug="sql", name="SQL", description="Writes queries", owner=alice)
    Agent.objects.create(
        slug="web",
        name="Web",
        description="Searches the web",
        kind="http",
        kind_config={"url": "https://example.com"},
        owner=alice,
    )
    Agent.objects.create(slug="off", name="Off", description="Disabled", enabled=False, owner=alice)


def slugs(response):
    assert response.status_code == 200, response.json()
    return [a["slug"] for a in response.json()["results"]]


def test_it_filters_by_kind(api_alice, registry):
    assert slugs(api_alice.get("/api/agents/?kind=http")) == ["web"]


def test_it_filters_by_enabled(api_alice, registry):
    assert slugs(api_alice.get("/api/agents/?enabled=false")) == ["off"]
    assert slugs(api_alice.get("/api/agents/?enabled=true")) == ["sql", "web"]


def test_it_searches_slug_name_and_description(api_alice, registry):
    assert slugs(api_alice.get("/api/agents/?search=queries")) == ["sql"]
    assert slugs(api_alice.get("/api/agents/?search=WEB")) == ["web"]


def test_it_refuses_an_unknown_filter_value(api_alice, registry):
    assert api_alice.get("/api/agents/?kind=magic").status_code == 400
    assert api_alice.get("/api/agents/?enabled=maybe").status_code == 400
