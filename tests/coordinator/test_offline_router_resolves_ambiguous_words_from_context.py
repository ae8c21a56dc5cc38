"""A word with several senses ("ticket", "table", "plot", "book", "warehouse") is read in
the sense the rest of the text supports, in the query and in each description."""

from coordinator.offline.router import AgentProfile, route, score_agents
from coordinator.offline.text import terms

AGENTS = [
    AgentProfile("box-office", "Box Office", "Sells tickets for concerts, theatre and games."),
    AgentProfile("helpdesk", "IT Helpdesk", "Fixes laptop and VPN problems and opens IT tickets."),
    AgentProfile("tables", "Table Booker", "Reserves tables at partner restaurants."),
    AgentProfile("travel", "Travel", "Books flights and hotels for business trips."),
    AgentProfile("sql", "SQL Analyst", "Runs SQL queries over the database tables."),
    AgentProfile("charts", "Charts", "Plots numbers as bar and line charts."),
]


def _concepts(text: str, word: str) -> set[str]:
    term = next(t for t in terms(text) if t.surface == word)
    return {f for f, _ in term.features if f.startswith("#")}


def test_the_context_settles_the_sense_of_a_word():
    assert _concepts("two tickets for the concert", "tickets") == {"#events"}
    assert _concepts("a table at a restaurant", "table") == {"#dining"}
    assert _concepts("a table in the sql database", "table") == {"#database"}
    assert _concepts("book a flight", "book") == {"#travel"}


def test_without_context_every_sense_stays_at_reduced_strength():
    features = dict(terms("tickets")[0].features)
    assert "#events" in features and "#ticket" in features
    assert features["#events"] < 0.8


def test_a_concert_ticket_goes_to_the_box_office_and_an_it_ticket_to_the_helpdesk():
    assert route("Get me two tickets for the concert", AGENTS).agents == ["box-office"]
    assert route("Open a ticket about my VPN problem", AGENTS).agents == ["helpdesk"]


def test_booking_a_flight_is_not_booking_a_table():
    assert route("Book me a flight to Rome", AGENTS).agents == ["travel"]
    assert route("Book a table for four at an Italian restaurant", AGENTS).agents == ["tables"]


def test_the_plot_of_a_movie_is_not_a_chart():
    scores = {s.slug: s.score for s in score_agents("What's the plot of the movie?", AGENTS)}
    assert scores["charts"] < 0.4
    assert route("Plot the monthly numbers as a bar chart", AGENTS).agents == ["charts"]


def test_a_database_table_goes_to_the_sql_agent():
    assert route("Which tables in the database hold orders?", AGENTS).agents == ["sql"]
