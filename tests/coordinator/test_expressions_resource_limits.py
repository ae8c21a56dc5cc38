"""Loops, output and source sizes are bounded, so an expression cannot exhaust the worker.

Which limit stops a render never depends on the machine's speed: the work budget is a count,
and the tests that expect it switch the wall-clock limit off; the wall-clock limit is tested
with a clock that moves one second each time it is read."""

import itertools

import pytest

from coordinator import expressions
from coordinator.expressions import ExpressionError, render, validate_expression


@pytest.fixture
def no_wall_clock_limit(monkeypatch):
    """Only the work budget can stop a render, however slow or busy the machine is."""
    monkeypatch.setattr(expressions, "MAX_SECONDS", float("inf"))


def test_it_refuses_a_range_longer_than_the_limit():
    assert len(render("{{ range(10000)|list }}", {})) == 10_000
    with pytest.raises(ExpressionError, match="range"):
        render("{{ range(10001)|list }}", {})


def test_it_stops_nested_loops_that_do_too_much_work(no_wall_clock_limit):
    template = "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
    with pytest.raises(ExpressionError, match="too much work"):
        render(template, {})


def test_it_stops_exponential_macro_recursion(no_wall_clock_limit):
    template = (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}"
    )
    with pytest.raises(ExpressionError, match="too much work"):
        render(template, {})


def test_it_stops_a_render_that_runs_longer_than_the_time_limit(monkeypatch):
    seconds = itertools.count()
    monkeypatch.setattr(expressions, "_monotonic", lambda: float(next(seconds)))
    # the budget starts at 0 s (deadline 5 s); each loop iteration reads the clock once more
    with pytest.raises(ExpressionError, match="took longer than 5 seconds"):
        render("{% for i in range(100) %}{{ i }}{% endfor %}", {})
    assert next(seconds) == 7  # stopped at the first look past the deadline (6 s)


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
