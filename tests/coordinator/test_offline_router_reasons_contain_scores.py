"""Every decision explains itself in human-readable reasons that carry the scores."""

import re

from coordinator.offline.router import AgentProfile, analyse_complexity, route

AGENTS = [
    AgentProfile("sales", "Sales Metrics", "Reports revenue and bookings by region and quarter."),
    AgentProfile("charts", "Chart Builder", "Turns tables of numbers into bar or line charts."),
    AgentProfile("weather", "Weather Service", "Current conditions and forecasts for any city."),
]
SCORE = re.compile(r"\b[01]\.\d\d\b")


def test_phase_one_reasons_name_agents_levels_and_scores():
    result = analyse_complexity("Get Q3 revenue by region and then chart it", AGENTS)
    assert result.level == "MEDIUM"
    text = "\n".join(result.reasons)
    assert "sales" in text and "charts" in text and "MEDIUM" in text
    assert SCORE.search(text)


def test_each_candidate_says_what_it_matched():
    result = analyse_complexity("Get Q3 revenue by region", AGENTS)
    best = result.candidates[0]
    assert best.slug == "sales"
    assert "revenue" in best.reason and f"{best.score:.2f}" in best.reason


def test_the_route_decision_carries_selection_reasons_with_scores():
    decision = route("forecast for Rome", AGENTS)
    assert decision.scores["weather"] > 0.4
    assert any("capability_based" in r and SCORE.search(r) for r in decision.reasons)
