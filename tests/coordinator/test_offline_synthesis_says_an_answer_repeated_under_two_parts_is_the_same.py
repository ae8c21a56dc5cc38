"""When two parts of a question get the same answer, the offline synthesis says the second
part's agent gave the same answer — not that it returned nothing."""

from coordinator.phases.synthesis import decide_locally
from coordinator.schemas import AgentOutcome, SynthesisResult


def outcome(agent: str, query: str, output) -> AgentOutcome:
    return AgentOutcome(stage=agent, agent=agent, status="succeeded", output=output, query=query)


def test_a_repeated_answer_is_named_the_same_answer_not_nothing():
    result = decide_locally(
        SynthesisResult,
        {
            "query": "what is the weather and how are stocks",
            "outcomes": [
                outcome("weather", "what is the weather", "All done."),
                outcome("stocks", "how are stocks", "All done."),
            ],
        },
    )
    assert "### How are stocks?\n\nstocks: the same answer as above." in result.answer
    assert "returned nothing" not in result.answer
    assert "No agent could answer" not in result.answer


def test_an_empty_answer_is_still_said_to_be_nothing():
    result = decide_locally(
        SynthesisResult,
        {
            "query": "what is the weather and how are stocks",
            "outcomes": [
                outcome("weather", "what is the weather", "Sunny."),
                outcome("stocks", "how are stocks", ""),
            ],
        },
    )
    assert "No agent could answer this: stocks returned nothing." in result.answer
