"""Invalid structured output gets exactly one repair attempt, then a clear ModelError."""

import pytest
from pydantic import BaseModel

from coordinator.llm import LiteLLMModel, ModelError
from tests.openai_server import OpenAIServer


class Decision(BaseModel):
    level: str
    reasons: list[str]


@pytest.fixture
def env_key(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test")
    return "sk-test"


def ask(server, env_key):
    model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key=env_key)
    return model.structured(
        [{"role": "user", "content": "Which level?"}], Decision, task="complexity", context={}
    )


def test_it_repairs_invalid_json_with_one_more_request(env_key):
    with OpenAIServer() as server:
        server.invalid_json('{"level": "LOW", "reasons": [')
        server.reply_json({"level": "LOW", "reasons": ["fixed"]})
        decision, usage = ask(server, env_key)
    assert decision.reasons == ["fixed"]
    assert len(server.requests) == 2
    repair = server.requests[1].messages
    assert repair[-2] == {"role": "assistant", "content": '{"level": "LOW", "reasons": ['}
    assert repair[-1]["role"] == "user"
    assert "not valid" in repair[-1]["content"]
    assert usage.prompt_tokens == 22  # both calls are counted


def test_it_repairs_output_that_fails_validation(env_key):
    with OpenAIServer() as server:
        server.reply_json({"level": "LOW"})
        server.reply_json({"level": "LOW", "reasons": []})
        decision, _ = ask(server, env_key)
    assert decision.level == "LOW"
    assert "reasons" in server.requests[1].messages[-1]["content"]


def test_it_fails_clearly_when_the_repair_is_invalid_too(env_key):
    with OpenAIServer() as server:
        server.invalid_json("not json at all")
        server.reply_json({"level": 3})
        with pytest.raises(ModelError) as info:
            ask(server, env_key)
    message = str(info.value)
    assert "openai/test-model" in message
    assert "invalid structured output for task 'complexity'" in message
    assert len(server.requests) == 2
    assert info.value.usage.prompt_tokens == 22
