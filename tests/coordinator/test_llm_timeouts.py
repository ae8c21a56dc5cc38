"""A model slower than the timeout raises ModelTimeout after about the timeout."""

import time

import pytest

from coordinator.llm import LiteLLMModel, ModelError, ModelTimeout
from tests.openai_server import OpenAIServer


@pytest.fixture
def model_at(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test")
    return lambda server: LiteLLMModel(
        "openai/test-model", api_base=server.v1, api_key_env="BATON_TEST_API_KEY"
    )


def test_a_slow_reply_times_out_within_about_the_timeout(model_at):
    with OpenAIServer() as server:
        server.delay(30)
        started = time.monotonic()
        with pytest.raises(ModelTimeout) as info:
            model_at(server).complete([{"role": "user", "content": "hi"}], timeout=1)
        elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 4
    assert isinstance(info.value, ModelError)
    assert "did not answer within 1 s" in str(info.value)
    assert len(server.requests) == 1


def test_a_stalled_stream_times_out(model_at):
    with OpenAIServer() as server:
        server.stream(["first ", "second"], pause=30)
        deltas = []
        started = time.monotonic()
        with pytest.raises(ModelTimeout):
            model_at(server).complete(
                [{"role": "user", "content": "hi"}], timeout=1, on_delta=deltas.append
            )
    assert time.monotonic() - started < 4
    assert deltas == ["first "]
