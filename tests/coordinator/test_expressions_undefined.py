"""Undefined names are errors that name what is missing, never a silent empty string."""

import pytest

from coordinator.expressions import ExpressionError, evaluate, render

CONTEXT = {"input": {"query": "q"}, "steps": {"extract": {"output": {"text": "t"}}}}


def test_it_names_the_missing_input_field():
    with pytest.raises(ExpressionError, match="'document_id'") as info:
        render("Doc {{ input.document_id }}", CONTEXT)
    assert "available: query" in str(info.value)


def test_it_names_the_missing_step():
    with pytest.raises(ExpressionError, match="'summarize'"):
        render("{{ steps.summarize.output.text }}", CONTEXT)


def test_it_names_an_unknown_top_level_name():
    with pytest.raises(ExpressionError, match="'inptu' is undefined"):
        render("{{ inptu.query }}", CONTEXT)


def test_it_reports_undefined_values_in_conditions():
    with pytest.raises(ExpressionError, match="'status'"):
        evaluate("steps.extract.status == 'failed'", CONTEXT)


def test_it_allows_the_default_filter_and_the_defined_test():
    assert render("{{ input.missing|default('none') }}", CONTEXT) == "none"
    assert evaluate("input.missing is defined", CONTEXT) is False
