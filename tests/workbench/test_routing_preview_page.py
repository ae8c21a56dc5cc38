"""The admin's routing preview: a query, a canvas or a set of agents → the level, every
agent's score with its reasons, the chosen agents per strategy and the plan."""

from canvas import services
from tests.canvas.graph_factory import agent, begin, edge, graph, interact, node

URL = "/admin/canvas/agent/preview/"


def coordinator_canvas(owner):
    g = graph(
        [
            begin(),
            node("boss", "coordinator", {"selection_strategy": "priority_based"}),
            agent("w", "weather"),
            agent("b", "billing"),
            interact(),
        ],
        [
            edge("begin", "boss"),
            edge("boss", "w", "agents", "delegate"),
            edge("boss", "b", "agents", "delegate"),
            edge("boss", "answer"),
        ],
    )
    return services.create_canvas(owner=owner, name="Desk", graph=g)


def test_the_page_shows_level_scores_strategies_and_plan(admin_client, registry):
    page = admin_client.post(
        URL,
        {"query": "Will it rain in Oslo tomorrow and why was my bill so high?", "model": "local"},
    ).content.decode()
    assert 'id="wb-level">HIGH<' in page
    assert 'data-strategy="capability_based">billing, weather<' in page or (
        'data-strategy="capability_based">weather, billing<' in page
    )
    assert "weather 0." in page and "(matched" in page  # scores with reasons
    assert "Plan (sequential)" in page


def test_a_canvas_limits_the_agents_and_brings_its_configuration(admin_client, registry, root):
    canvas = coordinator_canvas(root)
    page = admin_client.post(
        URL, {"query": "Will it rain in Oslo tomorrow?", "canvas": canvas.pk, "model": "local"}
    ).content.decode()
    assert "routed between billing, weather" in page
    assert 'data-strategy="priority_based">weather<' in page


def test_a_canvas_and_agents_together_are_refused(admin_client, registry, root):
    canvas = coordinator_canvas(root)
    page = admin_client.post(
        URL,
        {
            "query": "rain?",
            "canvas": canvas.pk,
            "agents": [registry["weather"].pk],
            "model": "local",
        },
    ).content.decode()
    assert "Pick a canvas or agents, not both." in page
    assert 'id="wb-preview-result"' not in page
