"""structured() asks for JSON with the schema, extracts it and validates it."""

import json

from pydantic import BaseModel

from coordinator.llm import LiteLLMModel
from tests.openai_server import OpenAIServer


class Decision(BaseModel):
    level: str
    reasons: list[str]


def model_for(server, monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test")
    return LiteLLMModel("openai/test-model", api_base=server.v1, api_key="sk-test")


def test_it_returns_a_validated_instance(monkeypatch):
    with OpenAIServer() as server:
        server.reply_json({"level": "LOW", "reasons": ["one agent is enough"]})
        decision, usage = model_for(server, monkeypatch).structured(
            [{"role": "system", "content": "You classify."}, {"role": "user", "content": "q"}],
            Decision,
            task="complexity",
            context={},
            timeout=10,
        )
    assert decision == Decision(level="LOW", reasons=["one agent is enough"])
    assert usage.prompt_tokens == 11
    [request] = server.requests
    assert request.body["response_format"] == {"type": "json_object"}
    system = request.messages[0]
    assert system["role"] == "system"
    assert system["content"].startswith("You classify.")
    assert json.dumps(Decision.model_json_schema(), separators=(",", ":")) in system["content"]


def test_it_accepts_json_inside_code_fences_and_prose(monkeypatch):
    with OpenAIServer() as server:
        server.reply('Sure!\n```json\n{"level": "HIGH", "reasons": []}\n```\nDone.')
        decision, _ = model_for(server, monkeypatch).structured(
            [{"role": "user", "content": "q"}], Decision, task="complexity", context={}
        )
    assert decision.level == "HIGH"
    assert server.requests[0].messages[0]["role"] == "system"


def test_it_retries_once_without_response_format_when_the_server_rejects_it(monkeypatch):
    with OpenAIServer() as server:
        server.reject_response_format(400)
        server.reply_json({"level": "MEDIUM", "reasons": []})
        server.reply_json({"level": "LOW", "reasons": []})
        model = model_for(server, monkeypatch)
        first, _ = model.structured(
            [{"role": "user", "content": "q"}], Decision, task="complexity", context={}
        )
        second, _ = model.structured(
            [{"role": "user", "content": "q"}], Decision, task="complexity", context={}
        )
    assert (first.level, second.level) == ("MEDIUM", "LOW")
    assert ["response_format" in r.body for r in server.requests] == [True, False, False]
