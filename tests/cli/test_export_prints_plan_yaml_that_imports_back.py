"""`workflow export CANVAS` prints the canvas's plan as YAML; importing it gives the same plan."""

import pytest

from canvas.models import Canvas
from canvas.yaml_io import plan_from_yaml
from tests.cli import PLAN_YAML, WORKFLOW_YAML, fast_password_hashing, workflow  # noqa: F401

pytestmark = pytest.mark.django_db


def same_plan(exported: str, document: str) -> bool:
    """The same plan, except that an export names its result step (the last one) explicitly."""
    exported_plan = plan_from_yaml(exported).model_dump(exclude_none=True)
    document_plan = plan_from_yaml(document).model_dump(exclude_none=True)
    last = document_plan["steps"][-1]["id"]
    return exported_plan == {"result": last, **document_plan}


@pytest.mark.parametrize("document", [PLAN_YAML, WORKFLOW_YAML], ids=["plan", "workflow"])
def test_import_of_the_export_is_the_same_plan(alice, tmp_path, document):
    source = tmp_path / "source.yaml"
    source.write_text(document)
    assert workflow("import", str(source), "--user", "alice").code == 0
    original = Canvas.objects.get()

    exported = workflow("export", original.slug, "--user", "alice")
    assert exported.code == 0, exported.err
    assert exported.out == exported.out.rstrip("\n") + "\n"
    assert same_plan(exported.out, document)

    again = tmp_path / "again.yaml"
    again.write_text(exported.out)
    assert workflow("import", str(again), "--name", "Copy", "--user", "alice").code == 0
    copy = Canvas.objects.get(name="Copy")
    assert workflow("export", copy.slug, "--user", "alice").out.replace("name: Copy\n", "", 1) == (
        exported.out.replace(f"name: {original.name}\n", "", 1)
    )


def test_output_writes_the_yaml_to_a_file(alice, tmp_path):
    source = tmp_path / "source.yaml"
    source.write_text(PLAN_YAML)
    workflow("import", str(source), "--user", "alice")
    target = tmp_path / "out.yaml"
    result = workflow("export", "document-processing", "--output", str(target), "--user", "alice")
    assert result.code == 0, result.err
    assert result.out == ""
    assert f"wrote {target}" in result.err
    assert same_plan(target.read_text(), PLAN_YAML)


def test_a_canvas_that_does_not_compile_is_refused_with_its_problems(alice):
    from canvas import services

    services.create_canvas(
        owner=alice,
        name="Loose",
        graph={
            "nodes": [{"id": "x", "type": "nope", "position": {"x": 0, "y": 0}, "data": {}}],
            "edges": [],
        },
    )
    result = workflow("export", "loose", "--user", "alice")
    assert result.code == 2
    assert "canvas loose does not compile to a plan" in result.err
    assert "type (node x): unknown component type 'nope'" in result.err
    assert "no begin node" in result.err
