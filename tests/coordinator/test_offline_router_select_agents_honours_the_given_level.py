"""select_agents() picks as many agents as the level asks for, even when the level came from
another model's phase 1, and never pads with irrelevant agents."""

import pytest

from coordinator.offline.router import AgentProfile, analyse_complexity, select_agents

AGENTS = [
    AgentProfile("sales", "Sales Metrics", "Reports revenue and bookings by region and quarter."),
    AgentProfile("charts", "Chart Builder", "Turns tables of numbers into bar or line charts."),
    AgentProfile("weather", "Weather Service", "Current conditions and forecasts for any city."),
    AgentProfile("calendar", "Calendar Assistant", "Schedules and moves meetings."),
]


def test_none_selects_nobody():
    assert select_agents("Q3 revenue", AGENTS, "NONE").agents == []


def test_low_selects_the_single_best_agent_even_for_a_multi_part_query():
    result = select_agents("Q3 revenue by region, then a bar chart of it", AGENTS, "LOW")
    assert len(result.agents) == 1


def test_medium_for_a_one_agent_query_adds_the_next_relevant_agent_only():
    result = select_agents("bar chart of Q3 revenue by region", AGENTS, "MEDIUM")
    assert set(result.agents) == {"sales", "charts"}
    result = select_agents("will it rain in Oslo", AGENTS, "MEDIUM")
    assert result.agents == ["weather"]  # nothing else is relevant: no padding with noise


def test_high_selects_one_agent_per_aspect():
    query = "Q3 revenue by region, the weather in Rome, and move my 3pm meeting"
    assert analyse_complexity(query, AGENTS).level == "HIGH"
    assert set(select_agents(query, AGENTS, "HIGH").agents) == {"sales", "weather", "calendar"}


def test_candidates_restrict_the_pool():
    only = [
        s for s in analyse_complexity("Q3 revenue chart", AGENTS).candidates if s.slug == "charts"
    ]
    assert select_agents("Q3 revenue chart", AGENTS, "LOW", candidates=only).agents == ["charts"]


def test_an_unknown_strategy_is_rejected():
    with pytest.raises(ValueError, match="unknown selection strategy"):
        select_agents("Q3 revenue", AGENTS, "LOW", "round_robin")
