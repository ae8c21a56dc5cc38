"""`workflow agent list|show|create`: the registry in the terminal, as the API shows it."""

import pytest

from canvas.models import Agent
from tests.cli import fast_password_hashing, workflow  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(alice):
    Agent.objects.create(
        slug="billing",
        name="Billing",
        description="Finds invoices and payments for customers. Not for refunds.",
        examples=["Why is invoice 7 so high?"],
        owner=alice,
    )
    # Nobody's and shared with no team: no ordinary user can see it.
    Agent.objects.create(slug="hidden", name="Hidden", description="Off.", enabled=False)


def test_list_shows_the_agents_the_user_can_see(registry):
    result = workflow("agent", "list", "--user", "alice")
    assert result.code == 0, result.err
    header, *rows = result.out.splitlines()
    assert header.split() == [
        "SLUG",
        "KIND",
        "ENABLED",
        "PRIORITY",
        "CALLS",
        "7D",
        "OK",
        "7D",
        "DESCRIPTION",
    ]
    by_slug = {r.split()[0]: r.split() for r in rows}
    assert "hidden" not in by_slug  # not alice's, not her team's, not shared
    assert by_slug["billing"][1:6] == ["llm", "yes", "0", "0", "-"]


def test_show_prints_the_examples_usage_and_description_check(registry):
    result = workflow("agent", "show", "billing", "--user", "alice")
    assert result.code == 0, result.err
    assert "examples:\n  - Why is invoice 7 so high?" in result.out
    assert "   7 days: 0 calls, - ok, p50 -, $0.00" in result.out
    assert "description check: too_short" in result.out
    assert "fix: Say what it does" in result.out
    missing = workflow("agent", "show", "hidden", "--user", "alice")
    assert missing.code == 2 and "no agent 'hidden' visible to alice" in missing.err


def test_create_registers_an_agent_owned_by_the_user(registry, alice):
    result = workflow(
        "agent",
        "create",
        "--slug",
        "weather",
        "--description",
        "Weather forecasts for a city. Not for air quality.",
        "--example",
        "Will it rain tomorrow?",
        "--capability",
        "forecast",
        "--user",
        "alice",
    )
    assert result.code == 0, result.err
    assert result.out.strip() == "created agent weather"
    agent = Agent.objects.get(slug="weather")
    assert agent.owner == alice and agent.examples == ["Will it rain tomorrow?"]
    assert agent.capabilities == ["forecast"]


def test_create_refuses_bad_fields_by_name(registry):
    taken = workflow(
        "agent", "create", "--slug", "billing", "--description", "x", "--user", "alice"
    )
    assert taken.code == 2 and "--slug:" in taken.err
    kind = workflow(
        "agent", "create", "--slug", "w2", "--kind", "http", "--description", "x", "--user", "alice"
    )
    assert kind.code == 2
    assert kind.err.strip() == "error: agent not created: --kind-config.url: Field required"
    assert not Agent.objects.filter(slug="w2").exists()
