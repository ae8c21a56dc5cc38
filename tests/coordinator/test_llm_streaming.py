"""Streaming calls on_delta per chunk, in order, and returns the joined text with usage."""

from coordinator.llm import LiteLLMModel
from tests.openai_server import OpenAIServer


def test_it_streams_deltas_in_order_and_joins_them(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test")
    pieces = ["The ", "answer ", "is ", "forty-two."]
    deltas: list[str] = []
    with OpenAIServer() as server:
        server.stream(pieces, prompt_tokens=30, completion_tokens=4)
        model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key="sk-test")
        text, usage = model.complete(
            [{"role": "user", "content": "?"}], timeout=10, on_delta=deltas.append
        )
    assert deltas == pieces
    assert "".join(deltas) == text == "The answer is forty-two."
    assert (usage.prompt_tokens, usage.completion_tokens) == (30, 4)
    body = server.requests[0].body
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


def test_it_counts_tokens_when_the_stream_has_no_usage_chunk(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test")
    with OpenAIServer() as server:
        server.stream(["no ", "usage ", "here"], usage=False)
        model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key="sk-test")
        text, usage = model.complete([{"role": "user", "content": "?"}], on_delta=lambda d: None)
    assert text == "no usage here"
    assert usage.completion_tokens > 0 and usage.prompt_tokens > 0
