"""Coordinators: they need sub-agents, and a delegated sub-agent is not a flow step."""

from canvas.components import CoordinatorConfig
from canvas.graph import compile_graph, validate_graph
from tests.canvas.graph_factory import agent, begin, chain, edge, graph, interact, node


def delegate(coordinator: str, sub_agent: str) -> dict:
    return edge(coordinator, sub_agent, "agents", "delegate")


def test_it_rejects_a_coordinator_without_sub_agents():
    document = graph(
        [begin(), node("boss", "coordinator"), interact()], chain("begin", "boss", "answer")
    )
    problems = validate_graph(document)
    assert [(p.node, p.field, p.severity) for p in problems] == [
        ("boss", "data.config.sub_agents", "error")
    ]
    assert "needs at least one sub-agent" in problems[0].message


def test_a_coordinator_delegating_only_to_a_coordinator_still_lacks_sub_agents():
    document = graph(
        [
            begin(),
            node("boss", "coordinator"),
            node("inner", "coordinator"),
            agent("a"),
            interact(),
        ],
        [*chain("begin", "boss", "answer"), delegate("boss", "inner"), delegate("inner", "a")],
    )
    problems = validate_graph(document)
    assert [(p.node, p.edge, p.severity) for p in problems] == [
        (None, "boss.agents->inner", "warning"),
        ("boss", None, "error"),
    ]


def test_it_rejects_a_delegated_sub_agent_that_also_has_flow_edges():
    document = graph(
        [begin(), node("boss", "coordinator"), agent("helper"), interact()],
        [*chain("begin", "boss", "answer"), delegate("boss", "helper"), edge("helper", "answer")],
    )
    problems = validate_graph(document)
    assert [(p.node, p.severity) for p in problems] == [("helper", "error")]
    assert problems[0].message.startswith(
        "sub-agent 'helper' is delegated to by coordinator 'boss' and also has flow edges"
    )


def test_a_coordinator_compiles_with_its_delegated_agents_and_config():
    document = graph(
        [
            begin(),
            node(
                "boss",
                "coordinator",
                {"selection_strategy": "priority_based", "sub_agent_timeout": 60},
                label="Research lead",
                step={"query": "{{ input.question }}", "retries": 1},
            ),
            agent("web", "web-search"),
            agent("docs", "docs-search"),
            agent("docs_again", "docs-search"),
            interact(),
        ],
        [
            *chain("begin", "boss", "answer"),
            delegate("boss", "web"),
            delegate("boss", "docs"),
            delegate("boss", "docs_again"),
        ],
    )
    plan = compile_graph(document, "research")
    assert [s.id for s in plan.steps] == ["boss"]  # delegated sub-agents are not steps
    step = plan.steps[0]
    assert step.type == "coordinator"
    assert step.name == "Research lead"
    assert step.agents == ["web-search", "docs-search"]
    assert step.query == "{{ input.question }}"
    assert step.retries == 1
    assert step.config == CoordinatorConfig(
        selection_strategy="priority_based",
        sub_agent_timeout=60,
        sub_agents=["web-search", "docs-search"],
    )
    assert plan.result == "boss"


def test_two_coordinators_may_share_a_sub_agent():
    document = graph(
        [
            begin(),
            node("one", "coordinator"),
            node("two", "coordinator"),
            agent("shared"),
            interact(),
        ],
        [
            *chain("begin", "one", "two", "answer"),
            delegate("one", "shared"),
            delegate("two", "shared"),
        ],
    )
    plan = compile_graph(document, "shared")
    assert [(s.id, s.agents, s.depends_on) for s in plan.steps] == [
        ("one", ["summarizer"], []),
        ("two", ["summarizer"], ["one"]),
    ]
