"""Inline sub-agents compile to generated slugs that inline_agents() resolves."""

from canvas.components import InlineAgent
from canvas.graph import compile_graph, inline_agents, inline_slug
from tests.canvas.graph_factory import begin, chain, edge, graph, interact, node

DEFINITION = {"name": "Haiku poet", "description": "Writes haiku.", "capabilities": ["poetry"]}


def inline(node_id: str, definition: dict = DEFINITION) -> dict:
    return node(node_id, "sub_agent", {"inline": definition})


def test_an_inline_sub_agent_compiles_to_a_generated_slug():
    document = graph([begin(), inline("Poet_1"), interact()], chain("begin", "Poet_1", "answer"))
    plan = compile_graph(document, "poem")
    assert inline_slug("Poet_1") == "inline-poet_1"
    assert plan.steps[0].agent == "inline-poet_1"
    assert inline_agents(document) == {"inline-poet_1": InlineAgent(**DEFINITION)}


def test_ids_differing_only_in_case_get_distinct_slugs():
    other = {**DEFINITION, "name": "Other"}
    document = graph(
        [begin(), inline("poet"), inline("POET", other), interact()],
        [*chain("begin", "poet", "answer"), *chain("begin", "POET", "answer")],
    )
    plan = compile_graph(document, "poems")
    assert [s.agent for s in plan.steps if s.type == "agent"] == ["inline-poet", "inline-poet-2"]
    assert {slug: a.name for slug, a in inline_agents(document).items()} == {
        "inline-poet": "Haiku poet",
        "inline-poet-2": "Other",
    }


def test_a_coordinator_can_delegate_to_an_inline_sub_agent():
    document = graph(
        [begin(), node("boss", "coordinator"), inline("poet"), interact()],
        [*chain("begin", "boss", "answer"), edge("boss", "poet", "agents", "delegate")],
    )
    plan = compile_graph(document, "poem")
    assert plan.steps[0].agents == ["inline-poet"]
    assert plan.steps[0].config.sub_agents == ["inline-poet"]
    assert list(inline_agents(document)) == ["inline-poet"]


def test_registry_agents_and_invalid_inline_configs_are_not_inline_agents():
    document = graph(
        [begin(), node("a", "sub_agent", {"agent": "writer"}), inline("b", {"name": ""})],
        chain("begin", "a", "b"),
    )
    assert inline_agents(document) == {}
    assert inline_agents({"nodes": "nope"}) == {}
