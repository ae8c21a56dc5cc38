"""validate_graph: flow cycles are errors that name the cycle's nodes."""

from canvas.graph import validate_graph
from tests.canvas.graph_factory import agent, begin, chain, edge, graph, interact, node


def cycles(problems):
    return [(p.node, p.message) for p in problems if p.message.startswith("flow cycle")]


def test_it_rejects_a_cycle_and_names_its_nodes():
    document = graph(
        [begin(), agent("a"), agent("b"), agent("c"), interact()],
        [*chain("begin", "a", "b", "c", "answer"), edge("c", "a")],
    )
    assert cycles(validate_graph(document)) == [("a", "flow cycle: a -> b -> c -> a")]


def test_it_rejects_a_self_loop():
    document = graph(
        [begin(), agent("a"), interact()], [*chain("begin", "a", "answer"), edge("a", "a")]
    )
    assert cycles(validate_graph(document)) == [("a", "flow cycle: a -> a")]


def test_it_reports_every_separate_cycle():
    document = graph(
        [begin(), agent("a"), agent("b"), agent("x"), agent("y"), interact()],
        [
            *chain("begin", "a", "b", "x", "y", "answer"),
            edge("b", "a"),
            edge("y", "x"),
        ],
    )
    assert cycles(validate_graph(document)) == [
        ("x", "flow cycle: x -> y -> x"),
        ("a", "flow cycle: a -> b -> a"),
    ]


def test_a_cycle_through_a_condition_branch_is_a_cycle():
    document = graph(
        [begin(), agent("work"), node("again", "condition", {"expression": "x"}), interact()],
        [
            *chain("begin", "work", "again"),
            edge("again", "work", "false"),
            edge("again", "answer", "true"),
        ],
    )
    assert cycles(validate_graph(document)) == [("work", "flow cycle: work -> again -> work")]


def test_a_diamond_is_not_a_cycle():
    document = graph(
        [begin(), agent("a"), agent("b"), agent("c"), agent("d"), interact()],
        [*chain("begin", "a", "b", "d", "answer"), *chain("a", "c", "d")],
    )
    assert validate_graph(document) == []


def test_delegation_edges_are_not_part_of_flow_cycles():
    document = graph(
        [begin(), node("boss", "coordinator"), agent("helper"), interact()],
        [*chain("begin", "boss", "answer"), edge("boss", "helper", "agents", "delegate")],
    )
    assert validate_graph(document) == []
