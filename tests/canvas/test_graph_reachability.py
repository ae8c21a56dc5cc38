"""validate_graph: begin and interact counts, reachability, at least one step."""

from canvas.graph import validate_graph
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


def located(problems):
    return [(p.node, p.field, p.severity, p.message) for p in problems]


def test_it_rejects_an_unreachable_node_as_an_error():
    document = simple_graph()
    document["nodes"].append(agent("orphan"))
    assert located(validate_graph(document)) == [
        ("orphan", "", "error", "sub_agent 'orphan' is not reachable from the begin node")
    ]


def test_a_node_downstream_of_an_unreachable_node_is_unreachable_too():
    document = simple_graph()
    document["nodes"] += [agent("orphan"), agent("child")]
    document["edges"].append(edge("orphan", "child"))
    assert [p.node for p in validate_graph(document)] == ["orphan", "child"]


def test_a_sub_agent_reached_only_by_delegation_is_reachable():
    document = graph(
        [begin(), node("boss", "coordinator"), agent("helper"), interact()],
        [*chain("begin", "boss", "answer"), edge("boss", "helper", "agents", "delegate")],
    )
    assert validate_graph(document) == []


def test_an_interact_node_nothing_feeds_is_unreachable():
    document = simple_graph()
    document["edges"].pop()
    assert [(p.node, p.severity) for p in validate_graph(document)] == [("answer", "error")]


def test_it_rejects_a_graph_without_a_begin_node():
    document = graph([agent("a"), interact()], chain("a", "answer"))
    assert located(validate_graph(document)) == [
        (None, "nodes", "error", "the graph has no begin node")
    ]


def test_it_rejects_more_than_one_begin_node():
    document = simple_graph()
    document["nodes"].append(begin("begin2"))
    document["edges"].append(edge("begin2", "summarize"))
    problems = validate_graph(document)
    assert [(p.node, p.field) for p in problems] == [("begin", "type"), ("begin2", "type")]
    assert problems[0].message == "the graph has 2 begin nodes (begin, begin2); keep exactly one"


def test_it_rejects_more_than_one_interact_node():
    document = simple_graph()
    document["nodes"].append(interact("answer2"))
    document["edges"].append(edge("extract", "answer2"))
    problems = validate_graph(document)
    assert [(p.node, p.field) for p in problems] == [("answer", "type"), ("answer2", "type")]


def test_a_graph_without_an_interact_node_is_valid():
    document = graph([begin(), agent("a")], chain("begin", "a"))
    assert validate_graph(document) == []


def test_it_rejects_a_graph_without_steps():
    document = graph([begin(), interact()], chain("begin", "answer"))
    assert located(validate_graph(document)) == [
        (
            None,
            "nodes",
            "error",
            "the graph has no steps: add a component between begin and interact",
        )
    ]
