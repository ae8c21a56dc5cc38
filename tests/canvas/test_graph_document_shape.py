"""validate_graph: the document's own shape — objects, lists, ids, types, labels."""

import pytest

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


def errors(problems):
    return [(p.node, p.edge, p.field, p.message) for p in problems if p.severity == "error"]


def test_a_simple_graph_has_no_problems():
    assert validate_graph(simple_graph()) == []


@pytest.mark.parametrize("document", [None, [], "graph", 3])
def test_it_rejects_a_graph_that_is_not_an_object(document):
    problems = validate_graph(document)
    assert len(problems) == 1
    assert problems[0].field == ""
    assert "must be an object" in problems[0].message


def test_it_reports_nodes_and_edges_that_are_not_lists_by_field():
    problems = validate_graph({"nodes": {"a": 1}, "edges": "x"})
    assert {(p.field, p.message) for p in problems} == {
        ("nodes", "nodes must be a list"),
        ("edges", "edges must be a list"),
    }


def test_it_reports_missing_nodes_and_edges():
    problems = validate_graph({})
    assert {p.field for p in problems} == {"nodes", "edges"}


def test_it_locates_a_node_that_is_not_an_object_by_position():
    document = simple_graph()
    document["nodes"].append("oops")
    problems = validate_graph(document)
    assert [(p.field, p.message) for p in problems] == [("nodes.4", "node must be an object")]


def test_it_reports_a_node_without_an_id_by_position():
    document = simple_graph()
    document["nodes"].append({"type": "transform", "data": {"config": {}}})
    problems = validate_graph(document)
    assert errors(problems) == [(None, None, "nodes.4.id", "node has no id (a non-empty string)")]


def test_it_reports_a_node_without_a_type():
    document = simple_graph()
    del document["nodes"][1]["type"]
    problems = validate_graph(document)
    assert ("extract", None, "type", "node has no type") in errors(problems)


def test_it_rejects_duplicate_node_ids():
    document = simple_graph()
    document["nodes"].append(agent("extract", "other"))
    problems = validate_graph(document)
    assert errors(problems) == [("extract", None, "id", "duplicate node id 'extract'")]


def test_it_rejects_duplicate_edge_ids():
    document = simple_graph()
    document["edges"].append(edge("begin", "summarize", edge_id=document["edges"][0]["id"]))
    problems = validate_graph(document)
    assert errors(problems) == [
        (None, "begin.out->extract", "id", "duplicate edge id 'begin.out->extract'")
    ]


def test_it_reports_an_edge_without_an_id_by_position():
    document = simple_graph()
    del document["edges"][1]["id"]
    problems = validate_graph(document)
    assert errors(problems) == [(None, None, "edges.1.id", "edge has no id (a non-empty string)")]


@pytest.mark.parametrize("bad_id", ["1st", "has space", "a.b", "x" * 65, "ünï"])
def test_it_rejects_node_ids_that_cannot_be_step_ids(bad_id):
    document = graph(
        [begin(), node(bad_id, "transform"), interact()], chain("begin", bad_id, "answer")
    )
    problems = validate_graph(document)
    assert [(p.node, p.field) for p in problems] == [(bad_id, "id")]
    assert "becomes the step id" in problems[0].message


def test_it_rejects_a_label_that_is_not_a_string_or_too_long():
    document = simple_graph()
    document["nodes"][1]["data"]["label"] = 42
    document["nodes"][2]["data"]["label"] = "x" * 201
    problems = validate_graph(document)
    assert [(p.node, p.field) for p in problems] == [
        ("extract", "data.label"),
        ("summarize", "data.label"),
    ]


def test_it_rejects_data_that_is_not_an_object():
    document = simple_graph()
    document["nodes"][1]["data"] = ["x"]
    problems = validate_graph(document)
    assert [(p.node, p.field, p.message) for p in problems][0] == (
        "extract",
        "data",
        "data must be an object",
    )


def test_it_reports_every_problem_at_once():
    document = simple_graph()
    document["nodes"].append(node("mystery", "teleport"))
    document["nodes"].append(agent("extract", "dup"))
    document["edges"].append(edge("summarize", "ghost"))
    document["nodes"][2]["data"]["config"] = {"agent": "summarizer", "timeout_seconds": -1}
    fields = {(p.node, p.edge, p.field) for p in validate_graph(document)}
    assert ("mystery", None, "type") in fields
    assert ("extract", None, "id") in fields
    assert (None, "summarize.out->ghost", "target") in fields
    assert ("summarize", None, "data.config.timeout_seconds") in fields
    assert ("mystery", None, "") in fields  # and it is unreachable
