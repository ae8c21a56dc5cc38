"""coordinator.llm.scripted.ScriptedModel scripts replies per task and records every call."""

import pytest
from pydantic import BaseModel

from coordinator.llm import LOCAL_TASKS, LocalModel, Model, ModelError, Usage, local_task
from coordinator.llm.scripted import COMPLETE, ScriptedModel, ScriptExhausted


class Decision(BaseModel):
    level: str


def test_it_implements_the_model_protocol():
    assert isinstance(ScriptedModel(), Model)


def test_it_replies_in_order_and_records_calls():
    model = ScriptedModel({"complexity": [Decision(level="LOW"), {"level": "HIGH"}]})
    first, usage = model.structured(
        [{"role": "user", "content": "q1"}], Decision, task="complexity", context={"query": "q1"}
    )
    second, _ = model.structured([], Decision, task="complexity", context={"query": "q2"})
    assert (first.level, second.level) == ("LOW", "HIGH")
    assert isinstance(usage, Usage)
    assert model.tasks == ["complexity", "complexity"]
    assert model.calls_for("complexity")[0].context == {"query": "q1"}
    assert "q1" in model.calls[0].prompt
    with pytest.raises(ScriptExhausted):
        model.structured([], Decision, task="complexity", context={})


def test_a_callable_computes_the_reply_from_the_context():
    model = ScriptedModel({"complexity": lambda context: {"level": context["query"].upper()}})
    decision, _ = model.structured([], Decision, task="complexity", context={"query": "low"})
    assert decision.level == "LOW"


def test_an_exception_reply_is_raised():
    model = ScriptedModel({"planning": [ModelError("model scripted/test failed")]})
    with pytest.raises(ModelError, match="scripted/test failed"):
        model.structured([], Decision, task="planning", context={})


def test_complete_streams_scripted_text_and_usage():
    model = ScriptedModel({COMPLETE: [("the answer", Usage(3, 2, 0.5))]})
    deltas = []
    text, usage = model.complete([{"role": "user", "content": "?"}], on_delta=deltas.append)
    assert text == "the answer" == "".join(deltas)
    assert usage == Usage(3, 2, 0.5)
    assert model.calls[0].kind == "complete"


def test_unscripted_tasks_fail_loudly_or_fall_back():
    with pytest.raises(ScriptExhausted, match="no script for task 'synthesis'"):
        ScriptedModel().structured([], Decision, task="synthesis", context={})
    local_task("fallback-probe")(lambda schema, context: {"level": "LOCAL"})
    try:
        model = ScriptedModel(fallback=LocalModel())
        decision, _ = model.structured([], Decision, task="fallback-probe", context={})
    finally:
        LOCAL_TASKS.pop("fallback-probe", None)
    assert decision.level == "LOCAL"
    assert model.tasks == ["fallback-probe"]
