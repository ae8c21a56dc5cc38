"""Two agents are sequential (MEDIUM) when the later clause refers to the earlier one's
result: a pronoun ("them", "their") or a definite result noun ("the cost", "the bill",
"the total"); without such a cue they are independent (HIGH)."""

from coordinator.offline.router import AgentProfile, route

AGENTS = [
    AgentProfile("meter", "Water Utility", "Water meter readings and water supply interruptions."),
    AgentProfile(
        "split", "Split It", "Splits shared bills between flatmates; tracks who owes whom."
    ),
    AgentProfile("volunteers", "Volunteers", "Volunteer shifts and hours per volunteer."),
    AgentProfile("email", "Email Writer", "Drafts and sends emails."),
]


def test_the_bill_refers_to_the_earlier_result():
    decision = route(
        "Look up my water meter readings for the year and split the bill with Sam", AGENTS
    )
    assert (decision.level, decision.agents) == ("MEDIUM", ["meter", "split"])


def test_their_refers_to_the_earlier_result():
    decision = route("Find volunteers with over 20 hours and email their team leads", AGENTS)
    assert (decision.level, decision.agents) == ("MEDIUM", ["volunteers", "email"])


def test_without_a_cue_the_aspects_are_independent():
    decision = route(
        "Check for water interruptions on my street and email Sam about dinner", AGENTS
    )
    assert (decision.level, set(decision.agents)) == ("HIGH", {"meter", "email"})
