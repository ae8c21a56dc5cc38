"""evaluate() and is_true() accept a bare condition or one wrapped in {{ }}."""

import pytest

from coordinator.expressions import ExpressionError, evaluate, is_true

CONTEXT = {
    "step": {"status": "failed", "attempt": 2},
    "steps": {"review": {"output": {"approved": True}, "status": "succeeded"}},
    "input": {"priority": "high"},
}


def test_it_evaluates_a_bare_condition():
    assert evaluate("step.status == 'failed'", CONTEXT) is True


def test_it_evaluates_a_wrapped_condition():
    assert evaluate("{{ step.status == 'failed' }}", CONTEXT) is True


def test_it_returns_the_native_value_of_an_expression():
    assert evaluate("step.attempt + 1", CONTEXT) == 3


def test_is_true_combines_conditions():
    assert is_true("steps.review.output.approved and input.priority == 'high'", CONTEXT)
    assert not is_true("step.attempt > 5 or input.priority == 'low'", CONTEXT)


def test_it_refuses_template_text_around_a_condition():
    with pytest.raises(ExpressionError, match="single expression"):
        evaluate("{{ step.status }} == 'failed'", CONTEXT)


def test_it_refuses_an_empty_condition():
    with pytest.raises(ExpressionError, match="empty"):
        evaluate("   ", CONTEXT)
