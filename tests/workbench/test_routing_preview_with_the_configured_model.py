"""The admin's preview with the configured model: the canvas coordinator's LLM decides the
level, each strategy's agents and the plan (a local OpenAI-compatible server stands in),
and sees the agents' example queries as few-shot guidance."""

import pytest

from canvas import services
from tests.canvas.graph_factory import agent, begin, edge, graph, interact, node
from tests.openai_server import OpenAIServer

URL = "/admin/canvas/agent/preview/"


@pytest.fixture
def model_server(monkeypatch):
    with OpenAIServer() as server:
        monkeypatch.setenv("OPENAI_API_BASE", server.v1)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        yield server


def llm_canvas(owner):
    g = graph(
        [
            begin(),
            node("boss", "coordinator", {"model": "openai/test-model"}),
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
    return services.create_canvas(owner=owner, name="LLM desk", graph=g)


def test_the_configured_model_decides_and_sees_the_examples(
    admin_client, registry, root, model_server
):
    registry["weather"].examples = ["Do I need an umbrella in Oslo?"]
    registry["weather"].save()
    canvas = llm_canvas(root)
    model_server.reply_json(
        {"level": "LOW", "reasons": ["weather"], "sub_queries": [], "candidates": []}
    )
    for _ in range(3):
        model_server.reply_json(
            {"agents": ["weather"], "scores": {"weather": 0.9}, "reasons": ["rain"]}
        )
    model_server.reply_json(
        {
            "pattern": "sequential",
            "reasons": ["one stage"],
            "stages": [{"id": "s1", "agent": "weather", "query": "umbrella in Bergen?"}],
        }
    )
    page = admin_client.post(
        URL, {"query": "Umbrella in Bergen?", "canvas": canvas.pk, "model": "configured"}
    ).content.decode()
    assert "Model <strong>openai/test-model</strong>" in page
    assert 'id="wb-level">LOW<' in page
    assert 'data-strategy="load_balanced">weather<' in page
    assert "umbrella in Bergen?" in page
    assert len(model_server.requests) == 5
    assert '    e.g. "Do I need an umbrella in Oslo?"' in model_server.requests[1].last_user_content


def test_a_model_error_is_shown_not_raised(admin_client, registry, root, model_server):
    canvas = llm_canvas(root)
    model_server.error(500)
    page = admin_client.post(
        URL, {"query": "Umbrella?", "canvas": canvas.pk, "model": "configured"}
    ).content.decode()
    assert '<p class="errornote">openai/test-model:' in page
