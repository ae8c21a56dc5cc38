"""get_model picks baton/local for empty names and a reusable LiteLLMModel otherwise."""

import pytest

from coordinator.llm import LiteLLMModel, LocalModel, Model, get_model


@pytest.mark.parametrize("name", [None, "", "baton/local"])
def test_it_returns_the_local_singleton(name):
    model = get_model(name)
    assert isinstance(model, LocalModel)
    assert model is get_model("baton/local")
    assert isinstance(model, Model)


def test_it_returns_a_litellm_model_with_base_and_key():
    model = get_model("openai/gpt-4o-mini", api_base="http://llm.internal/v1", api_key="k-1")
    assert isinstance(model, LiteLLMModel)
    assert (model.name, model.api_base, model._api_key()) == (
        "openai/gpt-4o-mini",
        "http://llm.internal/v1",
        "k-1",
    )
    assert isinstance(model, Model)


def test_it_reuses_the_instance_for_the_same_endpoint():
    assert get_model("openai/a", api_base="http://h/v1") is get_model(
        "openai/a", api_base="http://h/v1"
    )
    assert get_model("openai/a", api_base="http://h/v1") is not get_model("openai/a")
