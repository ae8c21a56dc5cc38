"""Loops, output and source sizes are bounded, so an expression cannot exhaust the worker."""

import time

import pytest

from coordinator import expressions
from coordinator.expressions import ExpressionError, render, validate_expression


def test_it_refuses_a_range_longer_than_the_limit():
    assert len(render("{{ range(10000)|list }}", {})) == 10_000
    with pytest.raises(ExpressionError, match="range"):
        render("{{ range(10001)|list }}", {})


def test_it_stops_nested_loops_that_do_too_much_work():
    template = "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(ExpressionError, match="too much work"):
        render(template, {})
    assert time.monotonic() - started < 5


def test_it_stops_exponential_macro_recursion():
    template = (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}"
    )
    with pytest.raises(ExpressionError, match="too much work"):
        render(template, {})


def test_it_refuses_output_larger_than_the_limit():
    context = {"input": {"chunk": "x" * 200_000}}
    template = "{% for i in range(10) %}{{ input.chunk }}{% endfor %}"
    with pytest.raises(ExpressionError, match="size limit"):
        render(template, context)


def test_it_refuses_template_source_longer_than_the_limit():
    source = "{{ 1 }}" + "x" * expressions.MAX_SOURCE_CHARS
    with pytest.raises(ExpressionError, match="too long"):
        render(source, {})
    assert "too long" in validate_expression(source)


def test_it_refuses_joining_a_huge_replacement():
    with pytest.raises(ExpressionError, match="size limit"):
        render("{{ ('a' * 500000)|replace('a', 'aaaa') }}", {})


def test_it_allows_ordinary_sized_work():
    assert render("{{ ('ab' * 1000)|length }}", {}) == 2000
    assert render("{{ [0] * 3 }}", {}) == [0, 0, 0]
    assert render("{{ 2 ** 10 }}", {}) == 1024
