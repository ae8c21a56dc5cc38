"""Compiled templates are cached by source, so repeated renders do not recompile."""

from coordinator import expressions
from coordinator.expressions import render


def test_it_compiles_a_template_once_and_reuses_it():
    source = "cache-check {{ input.n }}"
    render(source, {"input": {"n": 1}})
    before = expressions._compile_template.cache_info()
    assert render(source, {"input": {"n": 2}}) == "cache-check 2"
    after = expressions._compile_template.cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses
