"""Three or more agents, or two agents on independent aspects, is HIGH."""

from coordinator.offline.router import AgentProfile, route

AGENTS = [
    AgentProfile("sales", "Sales Metrics", "Reports revenue and bookings by region and quarter."),
    AgentProfile("news", "News Monitor", "Monitors press coverage and news about competitors."),
    AgentProfile("weather", "Weather Service", "Current conditions and forecasts for any city."),
    AgentProfile("calendar", "Calendar Assistant", "Schedules and moves meetings."),
    AgentProfile("travel", "Travel Booker", "Books flights and hotels."),
    AgentProfile("email", "Email Writer", "Drafts and sends emails to customers or colleagues."),
]


def test_three_aspects_for_three_agents_is_high():
    decision = route(
        "What's the weather in Rome next week, am I free on Tuesday, and is my hotel booked?",
        AGENTS,
    )
    assert decision.level == "HIGH"
    assert set(decision.agents) == {"weather", "calendar", "travel"}


def test_two_independent_aspects_are_high():
    decision = route("Show me Q3 revenue and also the latest news about our competitors", AGENTS)
    assert decision.level == "HIGH"
    assert set(decision.agents) == {"sales", "news"}


def test_compare_x_with_y_across_two_agents_is_high():
    decision = route("Compare our revenue this quarter with the press coverage we got", AGENTS)
    assert decision.level == "HIGH"
    assert set(decision.agents) == {"sales", "news"}


def test_several_questions_for_one_agent_stay_low():
    decision = route("Will it rain in Oslo tomorrow? And how windy will it be?", AGENTS)
    assert decision.level == "LOW"
    assert decision.agents == ["weather"]
