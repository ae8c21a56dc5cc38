"""An admin fixes a miss by adding an example query (or labelling a test case), not by
editing a synonym map; counter-examples keep an agent away from look-alike requests; an
LLM coordinator gets the examples as few-shot guidance."""

from coordinator.offline.router import AgentProfile, route
from coordinator.phases.common import agents_block
from coordinator.schemas import AgentInfo

DOCS = AgentProfile(
    "docs",
    "Docs",
    "Answers how-to questions from the internal wiki and product manuals.",
)
OCR = AgentProfile(
    "ocr",
    "OCR",
    "Extracts text, tables and fields from PDFs, scanned forms and receipts.",
)
CODE = AgentProfile(
    "code-review",
    "Code Reviewer",
    "Reviews pull requests and code changes for bugs, style and security issues.",
)
QUERY = "What is our refund policy for annual subscriptions?"


def with_examples(agent, *examples, counter=()):
    return AgentProfile(
        agent.slug,
        agent.name,
        agent.description,
        examples=list(examples),
        counter_examples=list(counter),
    )


def test_a_query_the_description_misses_routes_once_an_example_covers_it():
    assert "docs" not in route(QUERY, [DOCS, OCR, CODE]).agents
    taught = with_examples(DOCS, "What does our policy say about refunds?")
    decision = route(QUERY, [taught, OCR, CODE])
    assert decision.agents == ["docs"]
    assert any("refund" in reason for reason in decision.reasons)


def test_examples_do_not_pull_in_unrelated_queries():
    taught = with_examples(DOCS, "What does our policy say about refunds?")
    assert route("Will it snow in Oslo tomorrow?", [taught, OCR, CODE]).level == "NONE"


def test_example_words_the_description_has_are_not_amplified():
    taught = with_examples(OCR, "Extract the table from this PDF", "Read the PDF receipt")
    plain = route("Extract the fields from a scanned form", [OCR, DOCS]).scores["ocr"]
    again = route("Extract the fields from a scanned form", [taught, DOCS]).scores["ocr"]
    assert again == plain


def test_a_query_like_a_counter_example_keeps_away_from_that_agent():
    query = "Review the lease agreement changes"
    assert route(query, [CODE, DOCS]).agents == ["code-review"]
    bounded = with_examples(CODE, counter=["Check the lease agreement"])
    assert route(query, [bounded, DOCS]).level == "NONE"
    still = route("Review my pull request for bugs", [bounded, DOCS])
    assert still.agents == ["code-review"]


def test_the_llm_phases_see_examples_and_counter_examples():
    block = agents_block(
        [
            AgentInfo(
                slug="docs",
                name="Docs",
                description=DOCS.description,
                examples=["How do I rotate API keys?"],
                counter_examples=["Review my pull request"],
            )
        ]
    )
    assert '    e.g. "How do I rotate API keys?"' in block
    assert '    not for: "Review my pull request"' in block
