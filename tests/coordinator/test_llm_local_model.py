"""baton/local: offline, deterministic, extractive — and it never imports litellm."""

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from coordinator import llm
from coordinator.llm import NO_EXTRACTIVE_ANSWER, LocalModel, ModelError, local_task

ROOT = Path(__file__).resolve().parents[2]


class Verdict(BaseModel):
    ok: bool
    note: str = ""


@pytest.fixture
def registry():
    saved = dict(llm.LOCAL_TASKS)
    yield llm.LOCAL_TASKS
    llm.LOCAL_TASKS.clear()
    llm.LOCAL_TASKS.update(saved)


def test_it_never_imports_litellm():
    code = """
import sys
from pydantic import BaseModel
from coordinator.llm import get_model, local_task, count_tokens, truncate_history

class Out(BaseModel):
    n: int

@local_task("probe")
def probe(schema, context):
    return {"n": context["n"]}

model = get_model(None)
assert model.name == "baton/local"
out, usage = model.structured([], Out, task="probe", context={"n": 3})
assert out.n == 3
text, usage = model.complete(
    [{"role": "user", "content": "Where is the Eiffel tower?"},
     {"role": "user", "content": "Where is the Eiffel tower?\\n\\nThe Eiffel tower is in Paris."}],
    on_delta=lambda d: None,
)
assert "Paris" in text, text
assert count_tokens("hello world", "baton/local") > 0
assert truncate_history([{"role": "user", "content": "x"}], 10, None)
assert "litellm" not in sys.modules, "litellm was imported"
print("ok")
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_structured_dispatches_to_the_registered_task(registry):
    @local_task("verdict")
    def verdict(schema, context):
        return schema(ok=context["score"] > 0.5, note="scored")

    result, usage = LocalModel().structured([], Verdict, task="verdict", context={"score": 0.9})
    assert result == Verdict(ok=True, note="scored")
    assert usage.cost_usd == 0.0


def test_structured_validates_a_dict_from_the_handler(registry):
    local_task("verdict")(lambda schema, context: {"ok": "perhaps"})
    with pytest.raises(ModelError, match="invalid structured output for task 'verdict'"):
        LocalModel().structured([], Verdict, task="verdict", context={})


def test_an_unknown_task_is_a_clear_model_error(registry):
    with pytest.raises(ModelError, match="baton/local has no handler for task 'telepathy'"):
        LocalModel().structured([], Verdict, task="telepathy", context={})


def test_complete_quotes_the_most_relevant_sentences():
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {
            "role": "assistant",
            "content": "Invoices are stored for seven years. The office cat is called Tom. "
            "Refunds are processed within five business days.",
        },
        {"role": "user", "content": "How long do refunds take to be processed?"},
    ]
    deltas = []
    text, usage = LocalModel().complete(messages, on_delta=deltas.append)
    assert text == "Refunds are processed within five business days."
    assert "".join(deltas) == text
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0 and usage.cost_usd == 0.0


def test_complete_reads_context_after_the_question():
    question = (
        "Who maintains the billing service?\n\nContext:\n"
        '{"input": {"notes": "The billing service is maintained by the payments team. '
        'Lunch is at noon."}}'
    )
    text, _ = LocalModel().complete([{"role": "user", "content": question}])
    assert text == "The billing service is maintained by the payments team."


def test_complete_says_so_when_nothing_is_relevant():
    text, _ = LocalModel().complete([{"role": "user", "content": "Write me a poem"}])
    assert text == NO_EXTRACTIVE_ANSWER
    assert "extractively" in text


def test_complete_is_deterministic():
    messages = [
        {"role": "assistant", "content": "Alpha beta. Gamma delta. Beta gamma."},
        {"role": "user", "content": "beta gamma"},
    ]
    assert LocalModel().complete(messages) == LocalModel().complete(messages)
