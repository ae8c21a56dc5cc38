"""LiteLLMModel.complete returns the text and records usage from the provider's response."""

import pytest

from coordinator.llm import LiteLLMModel, Usage
from tests.openai_server import OpenAIServer


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test-alice-123")
    return "sk-test-alice-123"


def test_it_returns_the_completion_text_and_usage(api_key):
    with OpenAIServer() as server:
        server.reply("Paris is the capital of France.", prompt_tokens=21, completion_tokens=8)
        model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key=api_key)
        text, usage = model.complete(
            [{"role": "user", "content": "What is the capital of France?"}],
            temperature=0.1,
            max_tokens=50,
            timeout=10,
        )
    assert text == "Paris is the capital of France."
    assert usage == Usage(prompt_tokens=21, completion_tokens=8, cost_usd=0.0)


def test_it_sends_the_messages_parameters_and_key_from_the_environment(api_key):
    with OpenAIServer() as server:
        server.reply("ok")
        model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key=api_key)
        model.complete(
            [{"role": "user", "content": "hi"}], temperature=0.2, max_tokens=9, timeout=10
        )
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test-alice-123"
    assert request.body["model"] == "test-model"
    assert request.body["messages"] == [{"role": "user", "content": "hi"}]
    assert request.body["temperature"] == 0.2
    assert request.body["max_tokens"] == 9
    assert "stream" not in request.body


def test_it_counts_tokens_when_the_provider_reports_no_usage(api_key):
    with OpenAIServer() as server:
        server.reply("three little words", usage=False)
        model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key=api_key)
        _, usage = model.complete([{"role": "user", "content": "say something"}], timeout=10)
    assert usage.prompt_tokens > 0
    assert usage.completion_tokens > 0
