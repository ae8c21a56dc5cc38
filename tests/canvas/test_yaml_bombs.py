"""Bounded loading: alias bombs, fan-out and deep nesting are refused before they cost anything."""

import tracemalloc

import pytest

from canvas.errors import InvalidDocument
from canvas.yaml_io import load_yaml, plan_from_yaml, yaml_limits


def billion_laughs(levels=9, refs=9):
    lines = ["l0: &l0 [" + ", ".join(["lol"] * refs) + "]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * refs) + "]")
    return "\n".join(lines) + "\n"


def refusal(text, **limits):
    with pytest.raises(InvalidDocument) as caught:
        load_yaml(text, **limits)
    (problem,) = caught.value.problems
    return problem


def test_it_refuses_a_billion_laughs_bomb_in_little_memory():
    bomb = billion_laughs()  # 9 levels x 9 references: 9**9 = 387,420,489 "lol"s when expanded
    assert len(bomb) < 1024
    tracemalloc.start()
    try:
        problem = refusal(bomb)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    # refused once 50,000 nodes are counted: a budget of work, not of the machine's time
    assert "more than 50,000 nodes once aliases are expanded" in problem.message
    assert "possible YAML bomb" in problem.message
    assert problem.field.startswith("l")
    assert peak < 2 * 1024 * 1024


def test_it_refuses_a_billion_laughs_bomb_inside_a_plan():
    text = "name: x\nsteps:\n  - id: a\n    type: agent\n    agent: b\n    input:\n"
    text += "".join(f"      {line}\n" for line in billion_laughs().splitlines())
    with pytest.raises(InvalidDocument) as caught:
        plan_from_yaml(text)
    (problem,) = caught.value.problems
    assert problem.field.startswith("steps.0.input.l")
    assert "possible YAML bomb" in problem.message


def test_it_refuses_a_huge_alias_fan_out():
    items = ", ".join(str(i) for i in range(1000))
    text = f"data: &data [{items}]\ncopies: [" + ", ".join(["*data"] * 100) + "]\n"
    problem = refusal(text)
    assert problem.field.startswith("copies.")
    assert "more than 50,000 nodes" in problem.message


def test_it_refuses_a_merge_key_bomb():
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"]
    for level in range(1, 9):
        merges = ", ".join([f"*m{level - 1}"] * 9)
        lines.append(f"m{level}: &m{level} {{<<: [{merges}], own: {level}}}")
    problem = refusal("\n".join(lines) + "\n")
    assert "possible YAML bomb" in problem.message


def test_it_refuses_an_alias_to_a_collection_that_contains_it():
    problem = refusal("loop: &loop [1, *loop]\n")
    assert problem.field == "loop.1"
    assert "recursive structures are not allowed" in problem.message


def test_it_refuses_ten_thousand_nested_lists_without_a_recursion_error():
    problem = refusal("[" * 10_000 + "]" * 10_000)
    assert "nested more than 32 levels deep" in problem.message
    assert "line 1, column 33" in problem.message


def test_it_refuses_ten_thousand_nested_mappings_without_a_recursion_error():
    problem = refusal("{a: " * 10_000 + "1" + "}" * 10_000)
    assert "nested more than 32 levels deep" in problem.message
    assert problem.field == ".".join(["a"] * 32)


def test_it_accepts_nesting_up_to_the_depth_limit():
    assert load_yaml("[" * 32 + "]" * 32) is not None


def test_it_refuses_too_many_plain_nodes():
    problem = refusal("[" + ", ".join(["1"] * 200) + "]", max_nodes=100)
    assert problem.message.startswith("the document has more than 100 nodes")


def test_the_caller_can_raise_the_node_limit():
    assert len(load_yaml("[" + ", ".join(["1"] * 200) + "]", max_nodes=1000)) == 200


def test_the_limits_come_from_settings(settings):
    settings.BATON_YAML_MAX_BYTES = 4096
    settings.BATON_YAML_MAX_DEPTH = 8
    settings.BATON_YAML_MAX_NODES = 500
    assert yaml_limits() == {"max_bytes": 4096, "max_depth": 8, "max_nodes": 500}
    problem = refusal("[" * 9 + "]" * 9, **yaml_limits())
    assert "more than 8 levels deep" in problem.message


def test_it_refuses_an_alias_that_repeats_a_long_string_past_the_size_limit():
    text = 'long: &long "' + "x" * 1000 + '"\ncopies: [' + ", ".join(["*long"] * 600) + "]\n"
    assert len(text) < 6000
    problem = refusal(text)
    assert problem.field.startswith("copies.")
    assert "longer than 524,288 characters once aliases are expanded" in problem.message


def test_it_refuses_aliases_that_stack_nesting_past_the_depth_limit():
    lines = ["l0: &l0 " + "[" * 20 + "]" * 20]
    for level in range(1, 40):
        lines.append(f"l{level}: &l{level} " + "[" * 20 + f"*l{level - 1}" + "]" * 20)
    problem = refusal("\n".join(lines) + "\n")
    assert problem.field == "l1" + ".0" * 20
    assert "nested more than 32 levels deep once aliases are expanded" in problem.message


def test_it_accepts_aliased_nesting_that_stays_within_the_depth_limit():
    data = load_yaml("a: &a [[[1]]]\nb: [[*a]]\n")
    assert data["b"] == [[[[[1]]]]]
