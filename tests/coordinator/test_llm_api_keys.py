"""API keys come only from allowed environment variables, never literals or leaked defaults."""

import pytest

from coordinator.llm import LiteLLMModel, ModelError
from tests.openai_server import OpenAIServer

MESSAGES = [{"role": "user", "content": "hi"}]


def test_a_literal_key_in_api_key_env_is_refused_without_echoing_it():
    model = LiteLLMModel(
        "openai/test-model", api_base="http://127.0.0.1:9/v1", api_key_env="sk-live-abc-123"
    )
    with pytest.raises(ModelError, match="NAME of an environment variable") as info:
        model.complete(MESSAGES)
    assert "sk-live-abc-123" not in str(info.value)


def test_a_variable_outside_the_allowlist_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "server-secret")
    monkeypatch.delenv("BATON_MODEL_KEY_ENVS", raising=False)
    model = LiteLLMModel(
        "openai/test-model", api_base="http://127.0.0.1:9/v1", api_key_env="DJANGO_SECRET_KEY"
    )
    with pytest.raises(ModelError, match="may not be used as an API key"):
        model.complete(MESSAGES)


def test_an_explicit_allowlist_replaces_the_default_rule(monkeypatch):
    monkeypatch.setenv("BATON_MODEL_KEY_ENVS", "CORP_LLM_TOKEN")
    monkeypatch.setenv("CORP_LLM_TOKEN", "tok-1")
    monkeypatch.setenv("OTHER_API_KEY", "tok-2")
    with OpenAIServer() as server:
        server.reply("ok")
        LiteLLMModel(
            "openai/test-model", api_base=server.v1, api_key_env="CORP_LLM_TOKEN"
        ).complete(MESSAGES, timeout=10)
        with pytest.raises(ModelError, match="may not be used"):
            LiteLLMModel(
                "openai/test-model", api_base=server.v1, api_key_env="OTHER_API_KEY"
            ).complete(MESSAGES)
    assert server.requests[0].headers["Authorization"] == "Bearer tok-1"


def test_an_unset_variable_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("MISSING_API_KEY", raising=False)
    model = LiteLLMModel(
        "openai/test-model", api_base="http://127.0.0.1:9/v1", api_key_env="MISSING_API_KEY"
    )
    with pytest.raises(ModelError, match="MISSING_API_KEY is not set"):
        model.complete(MESSAGES)


def test_the_servers_provider_key_is_not_sent_to_a_custom_base_url(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-server-owned")
    with OpenAIServer() as server:
        server.reply("ok")
        LiteLLMModel("openai/test-model", api_base=server.v1).complete(MESSAGES, timeout=10)
    assert "sk-server-owned" not in server.requests[0].headers.get("Authorization", "")
