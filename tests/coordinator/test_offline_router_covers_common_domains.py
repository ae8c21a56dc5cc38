"""The synonym map covers common business and everyday domains beyond the original ones, so
users' own words reach an agent whose description uses others."""

import pytest

from coordinator.offline.router import AgentProfile, build_index, route

AGENTS = [
    AgentProfile("deploy", "Deploy Bot", "Ships services to staging and production (Kubernetes)."),
    AgentProfile("payroll", "Payroll", "Pay runs, payslips, overtime and tax withholding."),
    AgentProfile("website", "Website Team", "Page edits, SEO and DNS for our public site."),
    AgentProfile("wedding", "Wedding Planner", "Guest list, seating chart, florist and timeline."),
    AgentProfile("fleet", "Fleet Ops", "Company vans and trucks: fuel, mileage and servicing."),
    AgentProfile("tutor", "Study Buddy", "Explains algebra, chemistry and history for students."),
    AgentProfile("claims", "Claims Desk", "Insurance claims for auto and home policies."),
    AgentProfile("energy", "Energy", "Electricity and gas consumption at our sites."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "agent"),
    [
        ("Roll back the last release in prod", "deploy"),
        ("Why is my paycheck smaller this month?", "payroll"),
        ("Our homepage has dead links", "website"),
        ("How many RSVPs have come in so far?", "wedding"),
        ("Which lorry burned the most diesel?", "fleet"),
        ("Help me with my calculus homework", "tutor"),
        ("What is my deductible after the car accident?", "claims"),
        ("How many kWh did the plant use yesterday?", "energy"),
    ],
)
def test_a_domain_synonym_reaches_the_agent(query, agent):
    assert route(query, AGENTS).agents == [agent]


def test_role_nouns_in_agent_names_carry_no_topic():
    index = build_index(
        [AgentProfile("claims", "Claims Desk", "Insurance claims."), AgentProfile("x", "X", "Y.")]
    )
    claims = index.slugs.index("claims")
    assert not any(doc == claims for doc, _ in index.postings.get("#facilities", ()))
