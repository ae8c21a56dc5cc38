"""Disabled agents are never selected, under any strategy."""

import pytest

from coordinator.offline.router import STRATEGIES, AgentProfile, route, score_agents


def agents():
    return [
        AgentProfile(
            "weather",
            "Weather Service",
            "Weather forecasts for any city.",
            priority=10,
            enabled=False,
        ),
        AgentProfile(
            "weather-2", "Weather Backup", "Weather forecasts and rain alerts.", in_flight=50
        ),
        AgentProfile("billing", "Billing Desk", "Looks up invoices and payments."),
    ]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_disabled_agent_is_never_selected(strategy):
    decision = route("weather forecast for Berlin", agents(), strategy)
    assert "weather" not in decision.agents
    assert decision.agents == ["weather-2"]


def test_a_disabled_agent_is_not_even_scored():
    assert "weather" not in [s.slug for s in score_agents("weather forecast", agents())]


def test_when_the_only_capable_agent_is_disabled_the_answer_is_none():
    only = [AgentProfile("weather", "Weather", "Weather forecasts.", enabled=False)]
    assert route("weather forecast for Berlin", only).level == "NONE"
