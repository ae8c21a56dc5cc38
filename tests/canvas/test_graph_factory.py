"""generate_graph: big valid graphs for benchmarks (how fast validation is on them:
bench/pure_speed.py)."""

from collections import Counter

import pytest

from canvas.graph import compile_graph, validate_graph
from canvas.plan import plan_problems
from tests.canvas.graph_factory import generate_graph


@pytest.mark.parametrize(
    ("nodes", "edges", "seed"),
    [(1000, 1500, 0), (1000, 1500, 7), (50, 49, 1), (3, 2, 0), (200, 600, 3)],
)
def test_a_generated_graph_has_exactly_the_requested_size_and_no_problems(nodes, edges, seed):
    document = generate_graph(nodes=nodes, edges=edges, seed=seed)
    assert len(document["nodes"]) == nodes
    assert len(document["edges"]) == edges
    assert validate_graph(document) == []


def test_a_generated_graph_mixes_every_component_type():
    document = generate_graph()
    types = Counter(n["type"] for n in document["nodes"])
    assert types["begin"] == 1
    assert types["interact"] == 1
    assert set(types) == {
        "begin",
        "interact",
        "coordinator",
        "sub_agent",
        "human_approval",
        "human_input",
        "condition",
        "parallel",
        "wait",
        "sub_plan",
        "transform",
    }
    delegations = Counter(e["source"] for e in document["edges"] if e["sourceHandle"] == "agents")
    coordinators = [n["id"] for n in document["nodes"] if n["type"] == "coordinator"]
    assert all(delegations[c] >= 1 for c in coordinators)


def test_a_generated_graph_compiles_to_a_valid_plan():
    plan = compile_graph(generate_graph(), "bench")
    assert plan_problems(plan) == []
    assert plan.result is not None
    assert any(s.type == "parallel" and s.branches for s in plan.steps)


def test_the_same_seed_gives_the_same_graph_and_another_seed_another():
    assert generate_graph(300, 450, seed=5) == generate_graph(300, 450, seed=5)
    assert generate_graph(300, 450, seed=5) != generate_graph(300, 450, seed=6)


@pytest.mark.parametrize(("nodes", "edges"), [(2, 1), (100, 98), (5, 1000)])
def test_it_refuses_sizes_that_cannot_make_a_valid_graph(nodes, edges):
    with pytest.raises(ValueError):
        generate_graph(nodes=nodes, edges=edges)
