"""Syntax errors become ExpressionError with the line; validate_expression reports them."""

import pytest

from coordinator.expressions import ExpressionError, render, validate_expression


def test_it_raises_an_expression_error_with_the_line():
    with pytest.raises(ExpressionError, match="line 2"):
        render("first line\n{{ input.x + }}", {"input": {"x": 1}})


def test_validate_expression_returns_a_message_for_a_bad_template():
    message = validate_expression("Hello {{ input.name }")
    assert message is not None
    assert "line 1" in message


def test_validate_expression_returns_a_message_for_a_bad_condition():
    assert validate_expression("step.status ==") is not None


def test_validate_expression_returns_none_for_valid_expressions():
    assert validate_expression("step.status == 'failed'") is None
    assert validate_expression("{{ steps['a-b'].output }}") is None
    assert validate_expression("Please review the summary", mode="template") is None


def test_validate_expression_reports_refused_constructs():
    assert "not allowed" in validate_expression("{{ ''.__class__ }}")
    assert "not available" in validate_expression("{% include 'x.html' %}")
