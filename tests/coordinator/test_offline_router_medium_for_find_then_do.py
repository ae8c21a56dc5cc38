"""Two agents where the second works on the first one's result is MEDIUM, in that order."""

import pytest

from coordinator.offline.router import AgentProfile, analyse_complexity, route

AGENTS = [
    AgentProfile("sales", "Sales Metrics", "Reports revenue and bookings by region and quarter."),
    AgentProfile("charts", "Chart Builder", "Turns tables of numbers into bar or line charts."),
    AgentProfile("email", "Email Writer", "Drafts and sends emails to customers or colleagues."),
    AgentProfile("translator", "Translator", "Translates text between languages."),
    AgentProfile("summarizer", "Summarizer", "Condenses long documents into a short summary."),
    AgentProfile("weather", "Weather Service", "Current conditions and forecasts for any city."),
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Find last quarter's revenue by region, then plot it as a bar chart", ["sales", "charts"]),
        (
            "Summarize this report and then translate the summary into German",
            ["summarizer", "translator"],
        ),
        ("Get the Q3 bookings and email them to the finance team", ["sales", "email"]),
        (
            "Pull the income figures for EMEA and, based on that, draft an email to Joe",
            ["sales", "email"],
        ),
    ],
)
def test_a_find_then_do_query_is_medium_with_both_agents_in_order(query, expected):
    decision = route(query, AGENTS)
    assert decision.level == "MEDIUM"
    assert decision.agents == expected


def test_the_second_sub_task_is_marked_as_depending_on_the_first():
    result = analyse_complexity("Find Q3 revenue, then chart it", AGENTS)
    assert [a.agent for a in result.aspects] == ["sales", "charts"]
    assert result.aspects[1].depends_on_previous
    assert len(result.sub_queries) == 2


def test_one_clause_needing_two_agents_runs_the_opening_verb_last():
    decision = route("Chart the revenue by region and quarter", AGENTS)
    assert decision.level == "MEDIUM"
    assert decision.agents == ["sales", "charts"]
