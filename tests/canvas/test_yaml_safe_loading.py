"""load_yaml reads one document of plain data and refuses everything else with a located problem."""

import pytest

from canvas.errors import InvalidDocument
from canvas.yaml_io import load_yaml


def refusal(text, **limits):
    with pytest.raises(InvalidDocument) as caught:
        load_yaml(text, **limits)
    return caught.value.problems


def only(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_it_loads_strings_numbers_booleans_null_lists_and_mappings():
    data = load_yaml("name: x\ncount: 3\nratio: 0.5\nflag: true\nnothing: null\nitems: [a, 1]\n")
    assert data == {
        "name": "x",
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
        "items": ["a", 1],
    }


def test_it_keeps_dates_and_equals_signs_as_plain_strings():
    assert load_yaml("day: 2024-01-31\nwhen: 2024-01-31 10:00:00\nop: =\n") == {
        "day": "2024-01-31",
        "when": "2024-01-31 10:00:00",
        "op": "=",
    }


def test_it_allows_aliases_and_merge_keys_within_the_node_budget():
    data = load_yaml(
        "base: &base {retries: 2, timeout: 30}\nstep: {<<: *base, retries: 3}\nagain: *base\n"
    )
    assert data["step"] == {"retries": 3, "timeout": 30}
    assert data["again"] == {"retries": 2, "timeout": 30}


def test_it_reads_utf8_bytes_and_skips_a_byte_order_mark():
    assert load_yaml("\ufeffname: café ☕\n".encode()) == {"name": "café ☕"}


def test_it_refuses_bytes_that_are_not_utf8():
    problem = only(refusal(b"name: caf\xe9\n"))
    assert problem.field == "document"
    assert "not valid UTF-8" in problem.message
    assert "0xe9 at offset 9" in problem.message


def test_it_refuses_utf16_text():
    assert "not valid UTF-8" in only(refusal("name: x\n".encode("utf-16"))).message


@pytest.mark.parametrize("as_bytes", [False, True])
def test_it_refuses_a_document_over_the_size_limit(as_bytes):
    text = "a: " + "x" * 2000 + "\n"
    problem = only(refusal(text.encode() if as_bytes else text, max_bytes=1024))
    assert problem.field == "document"
    assert "the limit is 1,024 bytes" in problem.message


def test_the_size_limit_counts_utf8_bytes_not_characters():
    text = "a: " + "é" * 600  # 603 characters, 1,203 bytes
    assert "1,203 bytes" in only(refusal(text, max_bytes=1024)).message


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "---\n", "~\n", "null"])
def test_it_refuses_an_empty_document(text):
    problem = only(refusal(text))
    assert problem.field == "document"
    assert problem.message == "the document is empty"


def test_it_refuses_several_documents_in_one_file():
    problem = only(refusal("name: a\nsteps: []\n---\nname: b\n"))
    assert problem.field == "document"
    assert "another one starts at line 3" in problem.message


def test_it_reports_a_syntax_error_with_line_and_column():
    problem = only(refusal("name: x\nsteps:\n  - id: a\n    agent: [b, c\n  - id: d\n"))
    assert problem.field == "document"
    assert problem.message.startswith("YAML syntax error at line 5, column 7:")
    assert "flow sequence at line 4, column 12" in problem.message


def test_it_reports_bad_indentation_as_a_syntax_error():
    problem = only(refusal("steps:\n  - id: a\n   type: agent\n"))
    assert "YAML syntax error at line 3" in problem.message


def test_it_refuses_control_characters():
    problem = only(refusal("name: a\x07b\n"))
    assert problem.field == "document"
    assert "#x0007 at line 1, column 8" in problem.message


@pytest.mark.parametrize(
    ("text", "field", "fragment"),
    [
        ("yes: 1\n", "yes", "found 'yes', read as bool; quote it"),
        ("step:\n  1: one\n", "step.1", "found '1', read as int"),
        ("~: nothing\n", "~", "read as null"),
        ("? [a, b]\n: list key\n", "document", "found a list"),
        ("? {a: 1}\n: mapping key\n", "document", "found a mapping"),
    ],
)
def test_it_refuses_mapping_keys_that_are_not_strings(text, field, fragment):
    problem = only(refusal(text))
    assert problem.field == field
    assert "mapping keys must be strings" in problem.message
    assert fragment in problem.message


def test_it_accepts_quoted_keys_that_look_like_other_types():
    assert load_yaml("'yes': 1\n'1': 2\n") == {"yes": 1, "1": 2}


def test_it_refuses_duplicate_keys_and_reports_all_of_them():
    problems = refusal("name: a\nname: b\nsteps:\n  - {id: x, id: y}\n")
    assert [p.field for p in problems] == ["name", "steps.0.id"]
    assert problems[0].message.startswith("duplicate key 'name'")
    assert problems[0].message.endswith("(at line 2, column 1)")


def test_it_refuses_an_undefined_alias():
    problem = only(refusal("a: 1\nb: *nowhere\n"))
    assert problem.field == "b"
    assert "undefined alias *nowhere" in problem.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('n: !!int "many"\n', "cannot be read as !!int"),
        ("b: !!bool maybe\n", "cannot be read as !!bool"),
        ("f: !!float abc\n", "cannot be read as !!float"),
        ("big: " + "9" * 5000 + "\n", "cannot be read as !!int"),
    ],
)
def test_it_reports_a_value_that_cannot_be_read_as_its_type(text, fragment):
    problem = only(refusal(text))
    assert problem.field == "document"
    assert fragment in problem.message
    assert "line 1" in problem.message
