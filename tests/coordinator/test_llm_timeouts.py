"""A model slower than the timeout raises ModelTimeout; nothing it sends later is used.

The server would answer (or finish the stream) after 30 s, so without the timeout these
calls would succeed: a ModelTimeout proves the timeout applied, whatever the machine's speed.
"""

import pytest

from coordinator.llm import LiteLLMModel, ModelError, ModelTimeout
from tests.openai_server import OpenAIServer


@pytest.fixture
def model_at(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test")
    return lambda server: LiteLLMModel("openai/test-model", api_base=server.v1, api_key="sk-test")


def test_a_reply_slower_than_the_timeout_raises_model_timeout(model_at):
    with OpenAIServer() as server:
        server.delay(30)
        with pytest.raises(ModelTimeout) as info:
            model_at(server).complete([{"role": "user", "content": "hi"}], timeout=1)
    assert isinstance(info.value, ModelError)
    assert "did not answer within 1 s" in str(info.value)
    assert len(server.requests) == 1  # asked once: a timeout is not retried here


def test_a_stalled_stream_times_out(model_at):
    with OpenAIServer() as server:
        server.stream(["first ", "second"], pause=30)
        deltas = []
        with pytest.raises(ModelTimeout):
            model_at(server).complete(
                [{"role": "user", "content": "hi"}], timeout=1, on_delta=deltas.append
            )
    assert deltas == ["first "]
