"""Provider failures become ModelError with a clear message; litellm's retries are off."""

import pytest

from coordinator.llm import LiteLLMModel, ModelError, ModelTimeout
from tests.openai_server import OpenAIServer, free_port

MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-secret-bob-999")


def model(base):
    return LiteLLMModel("openai/test-model", api_base=base, api_key="sk-secret-bob-999")


def test_a_server_error_is_a_model_error_after_a_single_request():
    with OpenAIServer() as server:
        server.error(500, "the GPU caught fire")
        with pytest.raises(ModelError) as info:
            model(server.v1).complete(MESSAGES, timeout=10)
    assert not isinstance(info.value, ModelTimeout)
    assert "openai/test-model" in str(info.value)
    assert "HTTP 500" in str(info.value)
    assert "the GPU caught fire" in str(info.value)
    assert info.value.status_code == 500
    assert len(server.requests) == 1  # no retries


def test_a_streaming_server_error_is_a_model_error():
    with OpenAIServer() as server:
        server.error(503, "overloaded")
        with pytest.raises(ModelError, match="HTTP 503"):
            model(server.v1).complete(MESSAGES, timeout=10, on_delta=lambda d: None)
    assert len(server.requests) == 1


def test_a_rejected_key_says_so_without_showing_the_key():
    with OpenAIServer() as server:
        server.error(401, "invalid api key")
        with pytest.raises(ModelError) as info:
            model(server.v1).complete(MESSAGES, timeout=10)
    assert "rejected the connection's API key" in str(info.value)
    assert "sk-secret-bob-999" not in str(info.value)


def test_an_unreachable_server_is_a_model_error():
    with pytest.raises(ModelError, match="could not connect"):
        model(f"http://127.0.0.1:{free_port()}/v1").complete(MESSAGES, timeout=5)


def test_a_callback_error_propagates_unchanged():
    class Cancelled(Exception):
        pass

    def on_delta(_):
        raise Cancelled

    with OpenAIServer() as server:
        server.stream(["a", "b"])
        with pytest.raises(Cancelled):
            model(server.v1).complete(MESSAGES, timeout=10, on_delta=on_delta)
