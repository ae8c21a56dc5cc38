"""render() substitutes input and step values into text and nested structures."""

from coordinator.expressions import render

CONTEXT = {
    "input": {"document_id": "doc-7", "reviewer": "bob"},
    "steps": {"extract": {"output": {"text": "Hello world"}, "status": "succeeded"}},
    "run": {"id": "run-1"},
}


def test_it_renders_input_values_into_text():
    assert render("Document {{ input.document_id }}", CONTEXT) == "Document doc-7"


def test_it_renders_step_outputs_and_statuses():
    text = "{{ steps.extract.output.text }} ({{ steps.extract.status }})"
    assert render(text, CONTEXT) == "Hello world (succeeded)"


def test_it_renders_strings_inside_nested_dicts_and_lists():
    template = {
        "document": "{{ input.document_id }}",
        "parts": ["by {{ input.reviewer }}", {"run": "{{ run.id }}"}],
        "count": 3,
    }
    assert render(template, CONTEXT) == {
        "document": "doc-7",
        "parts": ["by bob", {"run": "run-1"}],
        "count": 3,
    }


def test_it_passes_plain_strings_and_non_strings_through():
    assert render("no braces here", CONTEXT) == "no braces here"
    assert render(42, CONTEXT) == 42
    assert render(None, CONTEXT) is None


def test_it_renders_containers_inside_text_as_json():
    context = {"input": {"tags": ["a", "b"], "meta": {"k": True}}}
    assert render("tags={{ input.tags }} meta={{ input.meta }}", context) == (
        'tags=["a", "b"] meta={"k": true}'
    )


def test_it_supports_loops_and_filters():
    context = {"input": {"names": ["ada", "grace"]}}
    text = "{% for n in input.names %}{{ loop.index }}.{{ n|title }} {% endfor %}"
    assert render(text, context) == "1.Ada 2.Grace "
