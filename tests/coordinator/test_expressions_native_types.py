"""A string that is exactly one {{ expr }} renders to the native value, not its text."""

import pytest

from coordinator.expressions import render

CONTEXT = {
    "input": {"count": 3, "ratio": 0.5, "flag": False, "nothing": None},
    "steps": {"extract": {"output": {"rows": [{"id": 1}, {"id": 2}], "meta": {"pages": 4}}}},
}


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ input.count }}", 3),
        ("{{ input.ratio }}", 0.5),
        ("{{ input.flag }}", False),
        ("{{ input.nothing }}", None),
        ("{{ steps.extract.output.rows }}", [{"id": 1}, {"id": 2}]),
        ("{{ steps.extract.output.meta }}", {"pages": 4}),
        ("{{ input.count * 2 + 1 }}", 7),
        ("{{ steps.extract.output.rows|map(attribute='id')|list }}", [1, 2]),
        ("{{ range(3) }}", [0, 1, 2]),
    ],
)
def test_it_returns_the_native_value_of_a_single_expression(template, expected):
    result = render(template, CONTEXT)
    assert result == expected
    assert type(result) is type(expected)


def test_it_returns_text_when_the_expression_has_surrounding_text():
    assert render("{{ input.count }} items", CONTEXT) == "3 items"
    assert render(" {{ input.count }}", CONTEXT) == " 3"


def test_it_keeps_numeric_looking_strings_as_strings():
    assert render("{{ input.code }}", {"input": {"code": "007"}}) == "007"


def test_it_returns_native_values_inside_nested_templates():
    assert render({"n": "{{ input.count }}", "list": ["{{ input.flag }}"]}, CONTEXT) == {
        "n": 3,
        "list": [False],
    }
