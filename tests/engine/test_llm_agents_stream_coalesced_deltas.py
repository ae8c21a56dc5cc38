"""An llm agent's streamed tokens arrive as agent.delta events, coalesced so a fast model
cannot flood the database or the socket; joined, they are exactly the answer."""

import pytest

from canvas.models import Agent
from tests.engine_helpers import make_connection, start, step, wait_for
from tests.openai_server import OpenAIServer

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_many_tiny_chunks_become_a_few_delta_events(alice, engine_settings, monkeypatch):
    if engine_settings.DISTRIBUTED:
        pytest.skip("the worker process does not see this test's secret variable")
    chunks = [f"word{i} " for i in range(400)]
    with OpenAIServer() as server:
        make_connection(server.v1)
        server.stream(chunks)
        Agent.objects.create(
            slug="writer",
            name="Writer",
            description="Writes text.",
            kind="llm",
            kind_config={"model": "openai/test-model", "system_prompt": "Be brief."},
            shared_with_all_teams=True,
        )
        run = wait_for(
            start(
                alice,
                {"name": "w", "steps": [{"id": "w", "type": "agent", "agent": "writer"}]},
                query="Write something",
            )
        )
        sent = server.requests[0].body
    assert run.status == "succeeded", run.error
    deltas = list(run.events.filter(type="agent.delta").order_by("seq"))
    # Flushed every 100 ms or 200 characters, whichever comes first: far fewer events than
    # chunks (how many exactly depends on how fast the stream arrives).
    assert 1 < len(deltas) <= len(chunks) // 5
    assert "".join(d.data["text"] for d in deltas) == "".join(chunks)
    assert step(run, "w").output["text"] == "".join(chunks)
    assert sent["stream"] is True
    assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
    assert sent["messages"][-1]["content"] == "Write something"
