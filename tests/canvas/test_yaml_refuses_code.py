"""Imports never execute anything: every tag outside plain data is refused before construction."""

import pytest

from canvas.errors import InvalidDocument
from canvas.yaml_io import load_yaml, plan_from_yaml


def test_it_refuses_python_object_apply_and_creates_no_file(tmp_path):
    marker = tmp_path / "pwned"
    text = f'!!python/object/apply:os.system ["touch {marker}"]\n'
    with pytest.raises(InvalidDocument) as caught:
        load_yaml(text)
    (problem,) = caught.value.problems
    assert problem.field == "document"
    assert (
        "tag !!python/object/apply:os.system at line 1, column 1 is not allowed" in problem.message
    )
    assert not marker.exists()


def test_it_refuses_a_python_tag_nested_in_a_plan_step_and_creates_no_file(tmp_path):
    marker = tmp_path / "pwned"
    text = (
        "name: evil\nsteps:\n  - id: a\n    type: agent\n    agent: x\n    input:\n"
        f'      payload: !!python/object/apply:subprocess.call [["touch", "{marker}"]]\n'
    )
    with pytest.raises(InvalidDocument) as caught:
        plan_from_yaml(text)
    (problem,) = caught.value.problems
    assert problem.field == "steps.0.input.payload"
    assert "!!python/object/apply:subprocess.call" in problem.message
    assert not marker.exists()


@pytest.mark.parametrize(
    "tagged",
    [
        "!!python/name:os.system",
        "!!python/object/new:os.system [ls]",
        "!!python/object:collections.OrderedDict {}",
        "!!python/module:os",
        "!!python/tuple [1, 2]",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!timestamp 2024-01-01",
        "!!omap [a: 1]",
        "!local value",
        "!<tag:example.com,2024:thing> value",
    ],
)
def test_it_refuses_tags_outside_plain_data(tagged):
    with pytest.raises(InvalidDocument) as caught:
        load_yaml(f"value: {tagged}\n")
    (problem,) = caught.value.problems
    assert problem.field == "value"
    assert "is not allowed; only plain data" in problem.message


def test_it_accepts_explicit_core_tags():
    assert load_yaml('a: !!str 123\nb: !!int "7"\nc: ! plain\n') == {
        "a": "123",
        "b": 7,
        "c": "plain",
    }
