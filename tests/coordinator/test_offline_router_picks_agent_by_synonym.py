"""The offline router finds the obviously right agent even when the query uses other words
than the description (synonyms, other word forms, typos)."""

from coordinator.offline.router import AgentProfile, analyse_complexity, route, score_agents

AGENTS = [
    AgentProfile("billing", "Billing Desk", "Looks up customer invoices, payments and refunds."),
    AgentProfile("weather", "Weather Service", "Current conditions and forecasts for any city."),
    AgentProfile("translator", "Translator", "Translates text between languages."),
    AgentProfile("calendar", "Calendar Assistant", "Schedules and moves meetings."),
    AgentProfile("shipping", "Shipment Tracker", "Tracks parcels and reports delivery dates."),
    AgentProfile("charts", "Chart Builder", "Turns tables of numbers into bar or line charts."),
]


def test_it_routes_a_bill_question_to_the_billing_agent():
    decision = route("Has Initech settled last month's bill yet?", AGENTS)
    assert decision.level == "LOW"
    assert decision.agents == ["billing"]


def test_it_routes_an_umbrella_question_to_the_weather_agent():
    decision = route("Will I need an umbrella in Leeds tomorrow?", AGENTS)
    assert decision.agents == ["weather"]


def test_it_routes_a_language_name_to_the_translator():
    decision = route("How do you say thank you in Portuguese?", AGENTS)
    assert decision.agents == ["translator"]


def test_it_matches_other_word_forms_of_the_description():
    decision = route("reschedule my appointment with Dana", AGENTS)
    assert decision.agents == ["calendar"]


def test_it_forgives_a_typo():
    decision = route("what's the wether forcast for Lisbon", AGENTS)
    assert decision.agents == ["weather"]


def test_the_right_agent_scores_highest_and_names_the_matched_words():
    best = score_agents("where is my package?", AGENTS)[0]
    assert best.slug == "shipping"
    assert any("package" in term for term in best.matched_terms)


def test_scores_are_between_zero_and_one_and_sorted():
    scores = score_agents("plot the weekly invoices as a line graph", AGENTS)
    values = [s.score for s in scores]
    assert values == sorted(values, reverse=True)
    assert all(0.0 <= v <= 1.0 for v in values)


def test_a_proper_name_does_not_drag_in_its_common_meaning():
    # "Umbrella Corp" is a customer, not a weather question.
    result = analyse_complexity("Has Umbrella Corp paid their invoice?", AGENTS)
    assert [c.slug for c in result.candidates][:1] == ["billing"]
    assert "weather" not in [a.agent for a in result.aspects]
