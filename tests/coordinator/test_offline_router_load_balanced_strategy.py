"""load_balanced picks the least-loaded agent among the capable ones."""

from coordinator.offline.router import AgentProfile, route, select_agents


def agents(busy_eu=5, busy_us=1):
    return [
        AgentProfile(
            "weather-eu",
            "Weather EU",
            "Weather forecasts and temperature for cities.",
            in_flight=busy_eu,
        ),
        AgentProfile(
            "weather-us",
            "Weather US",
            "Weather forecasts and temperature for cities.",
            in_flight=busy_us,
        ),
        AgentProfile("billing", "Billing Desk", "Looks up invoices and payments.", in_flight=0),
    ]


def test_it_picks_the_least_loaded_capable_agent():
    decision = route("forecast for Paris tomorrow", agents(busy_eu=5, busy_us=1), "load_balanced")
    assert decision.agents == ["weather-us"]
    decision = route("forecast for Paris tomorrow", agents(busy_eu=0, busy_us=3), "load_balanced")
    assert decision.agents == ["weather-eu"]


def test_an_idle_but_incapable_agent_is_never_picked():
    decision = route("forecast for Paris tomorrow", agents(busy_eu=9, busy_us=9), "load_balanced")
    assert decision.agents[0] in {"weather-eu", "weather-us"}
    assert "billing" not in decision.agents


def test_the_reason_names_the_load():
    result = select_agents("forecast for Paris", agents(), "LOW", "load_balanced")
    assert result.agents == ["weather-us"]
    assert any("1 in flight" in reason and "load_balanced" in reason for reason in result.reasons)
