"""Sticky notes (`note` nodes) stay in the saved graph for readers, but they are not
steps: validation checks only their own shape, compilation never sees them, and nothing
may connect to one."""

import pytest

from canvas.graph import compile_graph, validate_graph
from canvas.notes import MAX_NOTE_CHARS
from tests.canvas.graph_factory import simple_graph


def note(text="Ask legal before publishing", note_id="note_1"):
    return {
        "id": note_id,
        "type": "note",
        "position": {"x": 40, "y": -160},
        "data": {"label": "Note", "config": {"text": text}},
    }


def with_notes(*notes, edges=()):
    graph = simple_graph()
    return {**graph, "nodes": [*graph["nodes"], *notes], "edges": [*graph["edges"], *edges]}


def test_a_graph_with_notes_validates_and_compiles_exactly_as_without_them():
    assert validate_graph(with_notes(note(), note("Second", "note_2"))) == validate_graph(
        simple_graph()
    )
    plain = compile_graph(simple_graph(), "flow")
    annotated = compile_graph(with_notes(note()), "flow")
    assert annotated == plain
    assert "note_1" not in {step.id for step in annotated.steps}


def test_a_note_may_hold_anything_a_person_writes_even_braces_and_step_like_text():
    text = "{{ steps.extract.output }} is not evaluated here; ids like 'Not An Id!' are fine"
    assert validate_graph(with_notes(note(text, "Not An Id!"))) == []


def test_an_over_long_or_non_text_note_is_refused_on_its_field():
    problems = validate_graph(with_notes(note("x" * (MAX_NOTE_CHARS + 1)), note(42, "note_2")))
    assert [(p.node, p.field, p.message) for p in problems] == [
        ("note_1", "data.config.text", f"a note holds at most {MAX_NOTE_CHARS} characters"),
        ("note_2", "", "a note's text must be a string"),
    ]


def test_connecting_a_note_is_one_problem_on_that_edge():
    edge = {"id": "e-note", "source": "note_1", "target": "extract"}
    problems = validate_graph(with_notes(note(), edges=[edge]))
    assert [(p.edge, p.message) for p in problems] == [("e-note", "notes cannot be connected")]
    with pytest.raises(Exception, match="Invalid graph"):
        compile_graph(with_notes(note(), edges=[edge]), "flow")
