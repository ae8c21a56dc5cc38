"""Known sandbox escapes are refused with ExpressionError and never execute."""

import pytest

from coordinator.expressions import ExpressionError, evaluate, render

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner() }}",
    "{{ namespace(a=1) }}",
    "{{ lipsum.__globals__ }}",
    "{{ lipsum() }}",
    "{{ ''.format.__globals__ }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{{ '{0.__class__.__mro__}'.format(input) }}",
    "{{ input['__class__'] }}",
    "{{ input|attr('__class__') }}",
    "{{ input.values|attr('__self__') }}",
    "{{ input.items|map(attribute='__class__')|list }}",
    "{{ dict.mro() }}",
    "{{ input.pop('query') }}",
    "{{ input.clear() }}",
    "{{ config }}",
    "{{ request }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% extends 'base.html' %}",
    "{{ range(10**9)|list }}",
    "{{ 'a' * 10**9 }}",
    "{{ 10**9 * 'a' }}",
    "{{ [1] * 10**9 }}",
    "{{ 2 ** 100000 }}",
    "{{ (2 ** 4000) * (2 ** 4000) }}",
    "{{ 'a'|center(10**9) }}",
    "{{ 'a'.ljust(10**9) }}",
    "{{ '%999999999s'|format('a') }}",
    "{{ '%999999999s' % 'a' }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ [1]|batch(10**9, 'x')|list }}",
    "{% set x = 'aaaaaaaaaa' %}" + "{% set x = x ~ x %}" * 30 + "{{ x }}",
    "{% set x = 'aaaaaaaaaa' %}" + "{% set x = x + x %}" * 30 + "{{ x }}",
]


class Canary:
    """A context object whose methods must never be called from an expression."""

    called = False

    def fire(self):
        Canary.called = True
        return "fired"


@pytest.mark.parametrize("template", ESCAPES)
def test_it_refuses_a_sandbox_escape(template):
    with pytest.raises(ExpressionError):
        render(template, {"input": {"query": "q"}})


def test_it_refuses_calling_methods_of_arbitrary_context_objects():
    with pytest.raises(ExpressionError, match="not allowed"):
        render("{{ run.fire() }}", {"run": Canary()})
    assert Canary.called is False


def test_it_refuses_escapes_in_conditions_too():
    with pytest.raises(ExpressionError):
        evaluate("''.__class__.__mro__", {})
    with pytest.raises(ExpressionError):
        evaluate("{{ ''.__class__ }}", {})
