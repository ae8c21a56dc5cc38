"""A description may say what an agent does NOT do ("Not for support tickets", "Doesn't
track deliveries"): those words never attract a query to it."""

from coordinator.offline.router import AgentProfile, route, score_agents
from coordinator.offline.text import negated_positions, words

BOX_OFFICE = AgentProfile(
    "box-office",
    "Box Office",
    "Sells and refunds tickets for concerts and shows. Not for support tickets or IT tickets.",
)
RETURNS = AgentProfile(
    "returns",
    "Returns Desk",
    "Handles returns and exchanges of online orders. Doesn't track outgoing deliveries.",
)


def _marked(text: str) -> list[str]:
    negated = negated_positions(text)
    return [w + ("*" if i in negated else "") for i, w in enumerate(words(text))]


def test_a_negation_runs_to_the_end_of_its_clause():
    assert _marked("Tracks parcels. Not for invoices or refunds.") == [
        "tracks", "parcels", "not*", "for*", "invoices*", "or*", "refunds*",
    ]  # fmt: skip
    assert _marked("Won't write essays, but makes quizzes") == [
        "won*", "write*", "essays*", "but", "makes", "quizzes",
    ]  # fmt: skip
    assert _marked("Does not handle payroll, and it books rooms") == [
        "does", "not*", "handle*", "payroll*", "and", "it", "books", "rooms",
    ]  # fmt: skip


def test_not_only_is_not_a_negation():
    assert negated_positions("Not only invoices but also refunds") == set()


def test_a_ruled_out_word_does_not_count_for_the_agent():
    scores = {s.slug: s.score for s in score_agents("Open a support ticket", [BOX_OFFICE])}
    assert scores["box-office"] == 0.0
    assert route("Open a support ticket for the login bug", [BOX_OFFICE]).level == "NONE"


def test_what_the_agent_does_still_counts():
    assert route("Two tickets for the concert on Friday please", [BOX_OFFICE]).agents == [
        "box-office"
    ]


def test_a_query_about_the_excluded_job_goes_nowhere():
    assert route("Track my outgoing delivery", [RETURNS]).level == "NONE"
    assert route("How do I return these shoes?", [RETURNS]).agents == ["returns"]
