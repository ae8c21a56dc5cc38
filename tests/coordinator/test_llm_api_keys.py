"""A model call sends exactly the key its connection gives it, and never a key the server
happens to hold in its environment."""

from coordinator.llm import LiteLLMModel
from tests.openai_server import OpenAIServer

MESSAGES = [{"role": "user", "content": "hi"}]


def test_the_connections_key_is_sent_as_the_bearer_token():
    with OpenAIServer() as server:
        server.reply("ok")
        LiteLLMModel("openai/test-model", api_base=server.v1, api_key="tok-1").complete(
            MESSAGES, timeout=10
        )
    assert server.requests[0].headers["Authorization"] == "Bearer tok-1"


def test_the_servers_provider_key_is_not_sent_when_the_connection_has_none(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-server-owned")
    with OpenAIServer() as server:
        server.reply("ok")
        LiteLLMModel("openai/test-model", api_base=server.v1).complete(MESSAGES, timeout=10)
    assert "sk-server-owned" not in server.requests[0].headers.get("Authorization", "")
