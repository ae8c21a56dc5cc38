"""Queries about things no agent covers answer NONE instead of guessing."""

import pytest

from coordinator.offline.router import AgentProfile, analyse_complexity, route

AGENTS = [
    AgentProfile("billing", "Billing Desk", "Looks up customer invoices, payments and refunds."),
    AgentProfile("weather", "Weather Service", "Current conditions and forecasts for any city."),
    AgentProfile("sql", "SQL Analyst", "Runs SQL queries over the data warehouse tables."),
    AgentProfile("calendar", "Calendar Assistant", "Schedules and moves meetings."),
]


@pytest.mark.parametrize(
    "query",
    [
        "What's a good recipe for banana bread?",
        "Recommend a horror movie for tonight",
        "How tall is Mount Everest?",
        "Tell me a joke",
        "",
        "thanks!",
    ],
)
def test_it_answers_none_when_no_agent_covers_the_query(query):
    decision = route(query, AGENTS)
    assert decision.level == "NONE"
    assert decision.agents == []


def test_it_explains_none_with_the_best_score_it_found():
    result = analyse_complexity("What's the plot of the new Dune movie?", AGENTS)
    assert result.level == "NONE"
    assert result.candidates == []
    assert any("NONE" in reason for reason in result.reasons)


def test_it_answers_none_when_there_are_no_agents_at_all():
    assert route("send the invoice", []).level == "NONE"
