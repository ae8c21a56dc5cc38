"""validate_graph: dangling edges, handles and their direction, delegation targets."""

import pytest

from canvas.graph import compile_graph, validate_graph
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
    return [(p.edge, p.field, p.severity) for p in problems]


def coordinated(*extra_nodes, extra_edges=()):
    """begin → boss → answer, boss delegating to helper."""
    return graph(
        [begin(), node("boss", "coordinator"), agent("helper"), interact(), *extra_nodes],
        [
            *chain("begin", "boss", "answer"),
            edge("boss", "helper", "agents", "delegate"),
            *extra_edges,
        ],
    )


@pytest.mark.parametrize("end", ["source", "target"])
def test_it_rejects_an_edge_with_a_missing_end(end):
    document = simple_graph()
    document["edges"].append({**edge("extract", "answer", edge_id="e9"), end: None})
    problems = validate_graph(document)
    assert located(problems) == [("e9", end, "error")]
    assert "dangling" in problems[0].message


@pytest.mark.parametrize("end", ["source", "target"])
def test_it_rejects_an_edge_to_or_from_an_unknown_node(end):
    document = simple_graph()
    document["edges"].append({**edge("extract", "answer", edge_id="e9"), end: "ghost"})
    problems = validate_graph(document)
    assert located(problems) == [("e9", end, "error")]
    assert problems[0].message == f"edge {end} 'ghost' is not a node of the graph (dangling edge)"


def test_null_handles_mean_the_default_flow_handles():
    document = simple_graph()
    for e in document["edges"]:
        e.pop("sourceHandle")
        e["targetHandle"] = None
    assert validate_graph(document) == []


def test_it_rejects_an_edge_from_a_handle_the_component_lacks():
    document = simple_graph()
    document["edges"][1]["sourceHandle"] = "true"
    problems = validate_graph(document)
    assert located(problems) == [("extract.out->summarize", "sourceHandle", "error")]
    assert problems[0].message == "sub_agent has no handle 'true'; its output handles are: out"


def test_it_rejects_an_edge_leaving_from_an_input_handle():
    document = simple_graph()
    document["edges"][1]["sourceHandle"] = "in"
    problems = validate_graph(document)
    assert located(problems) == [("extract.out->summarize", "sourceHandle", "error")]
    assert "is an input" in problems[0].message


def test_it_rejects_an_edge_ending_at_an_output_handle():
    document = simple_graph()
    document["edges"][1]["targetHandle"] = "out"
    problems = validate_graph(document)
    assert located(problems) == [("extract.out->summarize", "targetHandle", "error")]
    assert "is an output" in problems[0].message


def test_it_rejects_an_edge_into_begin_or_out_of_interact():
    document = simple_graph()
    document["edges"].append(edge("answer", "begin", edge_id="back"))
    problems = validate_graph(document)
    assert located(problems) == [("back", "sourceHandle", "error")]
    assert problems[0].message == "interact has no handle 'out'; its output handles are: none"


def test_a_condition_edge_needs_a_true_or_false_handle():
    document = graph(
        [begin(), node("check", "condition", {"expression": "input.ok"}), interact()],
        [edge("begin", "check"), edge("check", "answer")],
    )
    problems = validate_graph(document)
    assert located(problems) == [("check.out->answer", "sourceHandle", "error")]
    assert problems[0].message.endswith("its output handles are: true, false")


def test_a_flow_edge_cannot_end_at_the_delegate_handle():
    document = simple_graph()
    document["edges"][1]["targetHandle"] = "delegate"
    problems = validate_graph(document)
    assert located(problems) == [("extract.out->summarize", "targetHandle", "error")]
    assert "only accepts delegation edges" in problems[0].message


def test_a_delegation_edge_must_end_at_the_delegate_handle():
    document = coordinated()
    document["edges"][-1]["targetHandle"] = "in"
    problems = validate_graph(document)
    assert located(problems) == [("boss.agents->helper", "targetHandle", "error")]


def test_a_delegation_edge_defaults_to_the_delegate_handle():
    document = coordinated()
    document["edges"][-1]["targetHandle"] = None
    assert validate_graph(document) == []


def test_it_rejects_delegation_to_something_that_is_not_a_sub_agent():
    document = coordinated(
        node("note", "transform"), extra_edges=[edge("boss", "note", "agents", "in")]
    )
    problems = validate_graph(document)
    assert located(problems) == [("boss.agents->note", "target", "error")]
    assert problems[0].message == (
        "a coordinator delegates only to sub_agent nodes; 'note' is a transform"
    )


def test_delegating_to_a_coordinator_is_a_warning_that_does_not_block_compiling():
    inner = node("inner", "coordinator")
    document = coordinated(
        inner,
        agent("inner_helper", "researcher"),
        extra_edges=[
            edge("boss", "inner", "agents", None),
            edge("inner", "inner_helper", "agents", "delegate"),
        ],
    )
    problems = validate_graph(document)
    assert located(problems) == [("boss.agents->inner", "target", "warning")]
    assert "avoid deep nesting" in problems[0].message

    plan = compile_graph(document, "nested")
    steps = {s.id: s for s in plan.steps}
    assert steps["boss"].agents == ["summarizer"]  # the coordinator edge is ignored
    assert steps["inner"].agents == ["researcher"]
    assert steps["inner"].depends_on == []


def test_it_rejects_a_handle_that_is_not_a_string_once():
    document = simple_graph()
    document["edges"][1]["sourceHandle"] = ["out"]
    problems = validate_graph(document)
    assert [(p.edge, p.field, p.message) for p in problems] == [
        ("extract.out->summarize", "sourceHandle", "sourceHandle must be a string or null")
    ]
