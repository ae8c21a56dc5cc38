"""thinking_budget maps to each provider's reasoning parameters, or to nothing."""

import pytest

from coordinator.llm import LiteLLMModel, reasoning_params
from tests.openai_server import OpenAIServer


def test_anthropic_models_get_a_thinking_budget():
    assert reasoning_params("anthropic/claude-sonnet-4-20250514", 10000, supports=True) == {
        "thinking": {"type": "enabled", "budget_tokens": 10000}
    }


def test_anthropic_budgets_below_the_minimum_are_not_sent():
    assert reasoning_params("anthropic/claude-sonnet-4-20250514", 512, supports=True) == {}


def test_anthropic_models_without_reasoning_get_nothing():
    assert reasoning_params("anthropic/claude-3-5-sonnet-20240620", 10000, supports=False) == {}


@pytest.mark.parametrize(
    ("budget", "effort"), [(1000, "low"), (2048, "low"), (10000, "medium"), (32000, "high")]
)
def test_openai_reasoning_models_get_an_effort(budget, effort):
    assert reasoning_params("openai/o3-mini", budget) == {"reasoning_effort": effort}
    assert reasoning_params("gpt-5", budget) == {"reasoning_effort": effort}


@pytest.mark.parametrize("model", ["openai/gpt-4o", "ollama/llama3", "openai/test-model"])
def test_other_models_get_nothing(model):
    assert reasoning_params(model, 10000) == {}


def test_zero_or_missing_budget_sends_nothing():
    assert reasoning_params("openai/o3", 0) == {}
    assert reasoning_params("openai/o3", None) == {}


def test_the_effort_reaches_the_server(monkeypatch):
    monkeypatch.setenv("BATON_TEST_API_KEY", "sk-test")
    with OpenAIServer() as server:
        server.reply("ok")
        LiteLLMModel("openai/o3-mini", api_base=server.v1, api_key="sk-test").complete(
            [{"role": "user", "content": "think"}], thinking_budget=10000, timeout=10
        )
    assert server.requests[0].body.get("reasoning_effort") == "medium"
