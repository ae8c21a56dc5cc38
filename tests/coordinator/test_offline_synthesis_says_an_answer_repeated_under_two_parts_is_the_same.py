"""When two parts of a question get the same answer, the offline synthesis says the second
part's agent gave the same answer — not that it returned nothing."""

from coordinator.phases.synthesis import decide_locally
from coordinator.schemas import AgentOutcome, SynthesisResult


def answer_to_weather_and_stocks(weather_said: str, stocks_said: str) -> str:
    parts = [
        ("weather", "what is the weather", weather_said),
        ("stocks", "how are stocks", stocks_said),
    ]
    outcomes = [
        AgentOutcome(stage=agent, agent=agent, status="succeeded", output=said, query=query)
        for agent, query, said in parts
    ]
    context = {"query": "what is the weather and how are stocks", "outcomes": outcomes}
    return decide_locally(SynthesisResult, context).answer


def test_a_repeated_answer_is_named_the_same_answer_not_nothing():
    answer = answer_to_weather_and_stocks("All done.", "All done.")
    assert "### How are stocks?\n\nstocks: the same answer as above." in answer
    assert "returned nothing" not in answer
    assert "No agent could answer" not in answer


def test_an_empty_answer_is_still_said_to_be_nothing():
    answer = answer_to_weather_and_stocks("Sunny.", "")
    assert "No agent could answer this: stocks returned nothing." in answer
