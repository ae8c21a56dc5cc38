"""`workflow run --input KEY=VALUE` (repeatable, or a JSON object): values are typed by the
Begin node's input schema and checked against it before anything starts."""

import pytest

from coordinator.models import Run
from coordinator.run_input import input_from_arguments
from tests.cli import fast_password_hashing, workflow  # noqa: F401
from tests.edges.inputs import schema_canvas

pytestmark = pytest.mark.django_db(transaction=True)

SCHEMA = {
    "type": "object",
    "properties": {
        "document_id": {"type": "string"},
        "pages": {"type": "integer"},
        "draft": {"type": "boolean"},
        "tags": {"type": "array"},
    },
}


def test_pairs_are_typed_by_the_schema_and_later_values_win():
    value = input_from_arguments(
        ["document_id=7", "pages=12", "draft=true", 'tags=["a"]', '{"pages": 3}', "note=a=b"],
        SCHEMA,
    )
    assert value == {"document_id": "7", "pages": 3, "draft": True, "tags": ["a"], "note": "a=b"}


@pytest.mark.parametrize(
    ("argument", "named"),
    [("pages=twelve", "pages"), ("no-equals-sign", "KEY=VALUE"), ("=x", "KEY=VALUE")],
)
def test_a_bad_argument_is_refused_naming_it(argument, named):
    with pytest.raises(ValueError, match=named):
        input_from_arguments([argument], SCHEMA)


def test_the_cli_starts_a_run_with_pairs(alice, engine_settings):
    schema_canvas(alice)
    result = workflow(
        "run", "review-input", "--input", "document_id=coordinator.md", "--input", "topic=x",
        "--detach", "--user", "alice",
    )  # fmt: skip
    assert result.code == 0, result.err
    run = Run.objects.get(pk=result.out.strip())
    assert run.input == {"document_id": "coordinator.md", "topic": "x", "reviewer": "reviewer"}
    assert run.trigger == "cli"


def test_the_cli_names_a_missing_required_input_and_starts_nothing(alice, engine_settings):
    schema_canvas(alice)
    result = workflow("run", "review-input", "--input", "topic=x", "--detach", "--user", "alice")
    assert result.code == 2, result.err
    assert "input.document_id" in result.err
    assert not Run.objects.exists()
