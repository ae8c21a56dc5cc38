"""POST validate/ reports every problem with node, field and message — and never writes."""

from tests.api import counts, fields, url
from tests.canvas.graph_factory import (
    agent,
    begin,
    chain,
    edge,
    graph,
    interact,
    node,
    simple_graph,
)


def validate(client, canvas, g=None):
    body = {} if g is None else {"graph": g}
    response = client.post(url(canvas, "validate/"), body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def error_on(result, node_id, field):
    return [
        p
        for p in result["problems"]
        if p.get("node") == node_id and p["field"] == field and p["severity"] == "error"
    ]


def test_a_valid_graph_has_no_problems(api_alice, canvas):
    assert validate(api_alice, canvas, simple_graph()) == {"valid": True, "problems": []}


def test_an_empty_body_validates_the_latest_version(api_alice, canvas):
    assert validate(api_alice, canvas) == {"valid": True, "problems": []}


def test_it_names_the_node_with_an_unknown_component_type(api_alice, canvas):
    g = simple_graph()
    g["nodes"][1]["type"] = "teleporter"
    before = counts()
    result = validate(api_alice, canvas, g)
    assert result["valid"] is False
    [problem] = error_on(result, "extract", "type")
    assert "teleporter" in problem["message"]
    assert counts() == before


def test_it_reports_a_flow_cycle(api_alice, canvas):
    g = graph(
        [begin(), agent("a"), agent("b"), interact()],
        [*chain("begin", "a", "b", "a"), edge("b", "answer")],
    )
    result = validate(api_alice, canvas, g)
    assert result["valid"] is False
    assert any("cycle" in p["message"] and p.get("node") in {"a", "b"} for p in result["problems"])


def test_it_locates_a_wrongly_typed_config_value(api_alice, canvas, agents):
    g = graph(
        [
            begin(),
            node("coord", "coordinator", {"temperature": "hot"}),
            agent("helper"),
            interact(),
        ],
        [
            edge("begin", "coord"),
            edge("coord", "helper", "agents", "delegate"),
            edge("coord", "answer"),
        ],
    )
    result = validate(api_alice, canvas, g)
    assert result["valid"] is False
    assert error_on(result, "coord", "data.config.temperature")


def test_it_checks_agents_against_the_enabled_registry(api_alice, canvas, agents):
    agents[1].enabled = False
    agents[1].save()
    result = validate(api_alice, canvas, simple_graph())
    assert result["valid"] is False
    assert error_on(result, "summarize", "data.config.agent")


def test_warnings_do_not_make_a_graph_invalid(api_alice, canvas, agents):
    g = graph(
        [
            begin(),
            node("outer", "coordinator"),
            node("inner", "coordinator"),
            agent("helper"),
            agent("helper2"),
            interact(),
        ],
        [
            edge("begin", "outer"),
            edge("outer", "inner", "agents", "delegate"),
            edge("outer", "helper", "agents", "delegate"),
            edge("inner", "helper2", "agents", "delegate"),
            edge("outer", "answer"),
        ],
    )
    result = validate(api_alice, canvas, g)
    assert result["valid"] is True
    [warning] = result["problems"]
    assert warning["severity"] == "warning"
    assert warning["edge"] == "outer.agents->inner"


def test_a_graph_that_is_not_an_object_is_a_400_on_graph(api_alice, canvas):
    response = api_alice.post(url(canvas, "validate/"), {"graph": ["nodes"]}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"graph"}
