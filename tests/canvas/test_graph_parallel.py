"""Parallel nodes: branches come from the 'branches' handle and compile into the step."""

from canvas.graph import compile_graph, validate_graph
from canvas.plan import plan_problems
from tests.canvas.graph_factory import agent, begin, chain, edge, graph, interact, node


def fan_out(*extra_nodes, extra_edges=()):
    """begin → fetch → fan{a, b} → merge → answer."""
    return graph(
        [
            begin(),
            agent("fetch", "fetcher"),
            node("fan", "parallel", {"concurrency": 2, "on_failure": "continue"}),
            agent("a", "alpha"),
            agent("b", "beta", timeout_seconds=30),
            node("merge", "transform", {"output": "{{ steps.fan.output }}"}),
            interact(),
            *extra_nodes,
        ],
        [
            *chain("begin", "fetch", "fan", "merge", "answer"),
            edge("fan", "a", "branches"),
            edge("fan", "b", "branches", "in"),
            *extra_edges,
        ],
    )


def test_branches_compile_into_the_parallel_step():
    plan = compile_graph(fan_out(), "fan")
    assert plan_problems(plan) == []
    assert [s.id for s in plan.steps] == ["fetch", "fan", "merge"]
    fan = plan.steps[1]
    assert fan.depends_on == ["fetch"]
    assert (fan.concurrency, fan.on_failure) == (2, "continue")
    assert [(b.id, b.agent, b.depends_on, b.timeout_seconds) for b in fan.branches] == [
        ("a", "alpha", [], None),
        ("b", "beta", [], 30),
    ]
    assert plan.steps[2].depends_on == ["fan"]


def test_an_edge_out_of_a_branch_means_depending_on_the_parallel_step():
    document = fan_out(
        node("after_a", "transform"), extra_edges=[edge("a", "after_a"), edge("after_a", "answer")]
    )
    plan = compile_graph(document, "fan")
    steps = {s.id: s for s in plan.steps}
    assert steps["after_a"].depends_on == ["fan"]
    assert plan.result == "answer"  # merge and after_a both feed the answer


def test_a_branch_can_be_a_nested_parallel():
    document = graph(
        [
            begin(),
            node("outer", "parallel"),
            node("inner", "parallel"),
            agent("leaf"),
            agent("sibling"),
            node("after", "transform"),
            interact(),
        ],
        [
            edge("begin", "outer"),
            edge("outer", "inner", "branches"),
            edge("outer", "sibling", "branches"),
            edge("inner", "leaf", "branches"),
            edge("leaf", "after"),
            edge("after", "answer"),
        ],
    )
    plan = compile_graph(document, "nested")
    assert [s.id for s in plan.steps] == ["outer", "after"]
    assert [b.id for b in plan.steps[0].branches] == ["inner", "sibling"]
    assert [b.id for b in plan.steps[0].branches[0].branches] == ["leaf"]
    assert plan.steps[1].depends_on == ["outer"]


def test_it_rejects_a_parallel_without_branches():
    document = graph(
        [begin(), node("fan", "parallel"), interact()], chain("begin", "fan", "answer")
    )
    problems = validate_graph(document)
    assert [(p.node, p.field, p.severity) for p in problems] == [("fan", "branches", "error")]


def test_it_rejects_a_branch_with_another_incoming_edge():
    document = fan_out(extra_edges=[edge("fetch", "a")])
    problems = validate_graph(document)
    assert [(p.node, p.severity) for p in problems] == [("a", "error")]
    assert "is a branch of parallel 'fan'" in problems[0].message


def test_it_rejects_an_interact_node_as_a_branch():
    document = fan_out()
    document["edges"][-1]["target"] = "answer"
    problems = validate_graph(document)
    assert [(p.edge, p.field) for p in problems if p.severity == "error"][0] == (
        "fan.branches->b",
        "target",
    )
    assert "interact node cannot be a parallel branch" in problems[0].message
