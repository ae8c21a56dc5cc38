"""POST validate/ reports every problem of a node at once, cross-field rules included: a rule
between two valid fields is checked even while other fields are invalid, and is located on
its field, once."""

from tests.api import url
from tests.canvas.graph_factory import agent, begin, chain, edge, graph, interact, node


def coordinator_graph(config: dict) -> dict:
    return graph(
        [begin(), node("coord", "coordinator", config), agent("docs", "document-ocr"), interact()],
        [*chain("begin", "coord", "answer"), edge("coord", "docs", "agents", "delegate")],
    )


def problems(api, canvas, config) -> list[tuple[str, str]]:
    response = api.post(
        url(canvas, "validate/"), {"graph": coordinator_graph(config)}, format="json"
    )
    assert response.status_code == 200
    return [
        (p["field"], p["message"]) for p in response.json()["problems"] if p.get("node") == "coord"
    ]


def test_field_errors_and_the_cross_field_rule_are_reported_together(api_alice, canvas):
    found = problems(
        api_alice,
        canvas,
        {"temperature": 5, "budget": {"max_dispatches": 0}, "sub_agent_timeout": 5000},
    )
    assert found == [
        ("data.config.temperature", "Input should be less than or equal to 2"),
        ("data.config.budget.max_dispatches", "Input should be greater than or equal to 1"),
        (
            "data.config.sub_agent_timeout",
            "sub_agent_timeout (5000 s) must not exceed max_execution_time (1800 s)",
        ),
    ]


def test_the_rule_alone_is_located_on_its_field(api_alice, canvas):
    assert problems(api_alice, canvas, {"sub_agent_timeout": 900, "max_execution_time": 600}) == [
        (
            "data.config.sub_agent_timeout",
            "sub_agent_timeout (900 s) must not exceed max_execution_time (600 s)",
        )
    ]


def test_a_rule_reading_an_invalid_field_is_not_guessed(api_alice, canvas):
    # max_execution_time itself is invalid: comparing against its default would be a guess
    found = problems(api_alice, canvas, {"sub_agent_timeout": 5000, "max_execution_time": -1})
    assert found == [("data.config.max_execution_time", "Input should be greater than 0")]
