"""The demo agents' descriptions route the documented example questions correctly."""

import pytest

from demo.management.commands.seed_demo import DEMO_AGENTS, DOCS_ASSISTANT_AGENTS

router = pytest.importorskip("coordinator.offline.router")


def docs_assistant_agents():
    return [
        router.AgentProfile(
            slug=a["slug"],
            name=a["name"],
            description=a["description"],
            capabilities=a["capabilities"],
            priority=a["priority"],
        )
        for a in DEMO_AGENTS
        if a["slug"] in DOCS_ASSISTANT_AGENTS
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        # The questions docs/getting-started.md suggests.
        ("How do I make the Coordinator retry a failed sub-agent?", ["search-docs"]),
        ("How many canvases and agents are there?", ["workspace-stats"]),
        # More of each kind.
        ("What is the default sub_agent_timeout?", ["search-docs"]),
        ("How do I write a good agent description?", ["search-docs"]),
        ("Explain the five phases of the coordinator", ["search-docs"]),
        ("How do I import a workflow.yaml file?", ["search-docs"]),
        ("How do approvals work?", ["search-docs"]),
        ("How many runs failed?", ["workspace-stats"]),
        ("Are there pending approvals?", ["workspace-stats"]),
        ("What is the median run duration?", ["workspace-stats"]),
        ("Please give me the gist of the following paragraph", ["summarize-text"]),
    ],
)
def test_the_docs_assistant_routes_each_question_to_the_right_agent(query, expected):
    decision = router.route(query, docs_assistant_agents())
    assert decision.agents == expected, decision.reasons


def test_a_question_with_two_parts_uses_both_agents():
    decision = router.route(
        "How many agents are there and how do I write a good description for one?",
        docs_assistant_agents(),
    )
    assert sorted(decision.agents) == ["search-docs", "workspace-stats"]
