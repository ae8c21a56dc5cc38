"""The description check names each problem of a description with a one-line fix."""

from coordinator.offline.router import AgentProfile
from coordinator.workbench.description_check import check, closest_agents, quality

OTHERS = [
    AgentProfile(
        "billing",
        "Billing",
        "Finds invoices and payments for customers and explains charges on a bill.",
    ),
    AgentProfile(
        "weather",
        "Weather",
        "Weather forecasts for a city: temperature, rain, wind and storm warnings.",
    ),
]

GOOD = AgentProfile(
    "shipping",
    "Shipping",
    "Tracks parcels and deliveries by tracking number, reports courier delays and estimated "
    "arrival dates for our web shop orders. Not for returns or refunds.",
    examples=["Where is parcel 1Z999?", "Why is my delivery late?"],
)


def codes(findings):
    return [f.code for f in findings]


def test_a_clear_bounded_description_with_examples_has_no_findings():
    assert check(GOOD, OTHERS) == []
    assert quality(check(GOOD, OTHERS)) == "good"


def test_a_short_description_is_too_short():
    draft = AgentProfile("x", "X", "Handles shipping questions.", examples=["Where is it?"])
    finding = next(f for f in check(draft, OTHERS) if f.code == "too_short")
    assert finding.message.startswith("The description is 3 words")
    assert "one or two sentences" in finding.fix


def test_filler_words_make_it_vague_and_are_quoted():
    draft = AgentProfile(
        "x",
        "X",
        "A general-purpose helper that helps with various things and anything else the "
        "team needs, etc. Not for payroll.",
        examples=["Do something"],
    )
    finding = next(f for f in check(draft, OTHERS) if f.code == "vague")
    assert "'helps with'" in finding.message and "'various'" in finding.message
    assert "Name the tasks and the data" in finding.fix


def test_no_statement_of_what_it_does_not_do_is_a_finding_that_names_the_neighbour():
    draft = AgentProfile(
        "refunds",
        "Refunds",
        "Refunds invoices and payments for customers who were charged twice on a bill.",
        examples=["Refund my double charge"],
    )
    finding = next(f for f in check(draft, OTHERS) if f.code == "no_limits")
    assert finding.message == "The description never says what this agent does not do."
    assert "(use billing)" in finding.fix


def test_no_example_request_is_a_finding_unless_the_text_gives_one():
    bare = AgentProfile("s", "S", GOOD.description)
    assert "no_example" in codes(check(bare, OTHERS))
    inline = AgentProfile("s", "S", GOOD.description + ' For example "where is my parcel?"')
    assert "no_example" not in codes(check(inline, OTHERS))


def test_overlap_gives_a_score_the_closest_agents_and_their_shared_terms():
    draft = AgentProfile(
        "refunds",
        "Refunds",
        "Refunds invoices and payments for customers charged twice on a bill. Not for shipping.",
        examples=["Refund my double charge"],
    )
    finding = next(f for f in check(draft, OTHERS) if f.code == "overlap")
    top = finding.closest[0]
    assert top.slug == "billing"
    assert 0.3 <= top.score <= 1
    assert {"invoices", "payments", "bill"} <= set(top.shared_terms)
    assert finding.message.startswith(f"Overlaps with billing ({top.score:.2f})")
    assert "Not for … (use billing)" in finding.fix
    assert [c.slug for c in finding.closest] == ["billing"]  # weather is not close


def test_similarity_ranks_every_other_agent_and_ignores_negated_words():
    near = closest_agents(OTHERS[0], [OTHERS[1], GOOD])
    assert [c.slug for c in near] == [] or all(c.score < 0.3 for c in near)
    negated = AgentProfile("x", "X", "Tracks parcels. Not for invoices, payments or bills.")
    assert closest_agents(negated, [OTHERS[0]]) == []


def test_an_example_that_routes_to_another_agent_is_a_finding():
    draft = AgentProfile(
        "shipping",
        "Shipping",
        GOOD.description,
        examples=["Where is parcel 1Z999?", "Will it rain in Paris tomorrow?"],
    )
    finding = next(f for f in check(draft, OTHERS) if f.code == "example_elsewhere")
    assert finding.message == (
        "The example 'Will it rain in Paris tomorrow?' routes to weather, not to this agent."
    )
    assert "counter-example to weather" in finding.fix


def test_the_stored_version_of_the_agent_itself_is_not_an_overlap():
    stored = AgentProfile("shipping", "Shipping", GOOD.description)
    assert "overlap" not in codes(check(GOOD, [*OTHERS, stored]))
