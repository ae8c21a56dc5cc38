"""`workflow import FILE` makes a canvas (or a new version of one) from plan YAML or a
workflow.yaml; a bad document lists its problems by field path, exits 2 and writes nothing."""

import pytest

from canvas.graph import compile_graph
from canvas.models import Canvas, CanvasVersion
from canvas.yaml_io import plan_from_yaml
from tests.cli import PLAN_YAML, WORKFLOW_YAML, fast_password_hashing, workflow  # noqa: F401

pytestmark = pytest.mark.django_db


def write(tmp_path, text: str, name: str = "plan.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def plan_of(canvas: Canvas) -> dict:
    graph = canvas.current_version().graph
    return compile_graph(graph, canvas.name, canvas.description).model_dump(exclude_none=True)


def test_a_plan_yaml_becomes_a_canvas_with_version_1(alice, tmp_path):
    result = workflow("import", write(tmp_path, PLAN_YAML), "--user", "alice")
    assert result.code == 0, result.err
    canvas = Canvas.objects.get()
    assert result.out.strip() == f"imported as canvas document-processing ({canvas.pk}) version 1"
    assert (canvas.name, canvas.owner, canvas.latest_version) == ("document-processing", alice, 1)
    assert canvas.description == "Process and summarize a document"
    assert [s["id"] for s in plan_of(canvas)["steps"]] == ["extract", "summarize", "review"]
    assert canvas.current_version().message == "Imported from plan.yaml"


def test_a_document_naming_agents_you_may_not_use_is_refused_naming_them(alice, bob, tmp_path):
    from canvas.models import Agent

    Agent.objects.filter(slug="document-ocr").update(shared_with_all_teams=False, owner=bob)
    result = workflow("import", write(tmp_path, PLAN_YAML), "--user", "alice")
    assert result.code == 2
    assert "unknown agent 'document-ocr'" in result.err
    assert "it names agents you may not use" in result.err
    assert (Canvas.objects.count(), CanvasVersion.objects.count()) == (0, 0)


def test_a_workflow_yaml_becomes_a_canvas_under_the_given_name(alice, tmp_path):
    result = workflow(
        "import",
        write(tmp_path, WORKFLOW_YAML, "workflow.yaml"),
        "--name",
        "Book writer",
        "--user",
        "alice",
    )
    assert result.code == 0, result.err
    canvas = Canvas.objects.get()
    assert (canvas.name, canvas.slug) == ("Book writer", "book-writer")
    agents = [s.get("agent") for s in plan_of(canvas)["steps"] if s["type"] == "agent"]
    assert agents == ["researcher", "writer", "reviewer"]


def test_with_canvas_it_saves_a_new_version_of_an_existing_canvas(alice, tmp_path):
    workflow("import", write(tmp_path, WORKFLOW_YAML), "--user", "alice")
    canvas = Canvas.objects.get()
    result = workflow(
        "import", write(tmp_path, PLAN_YAML), "--canvas", canvas.slug, "--user", "alice"
    )
    assert result.code == 0, result.err
    assert result.out.strip() == f"saved as canvas {canvas.slug} ({canvas.pk}) version 2"
    canvas.refresh_from_db()
    assert canvas.latest_version == 2
    assert [s["id"] for s in plan_of(canvas)["steps"]] == ["extract", "summarize", "review"]


def test_a_bad_document_lists_its_problems_and_writes_nothing(alice, tmp_path):
    bad = "name: bad\nsteps:\n  - id: a\n    type: agent\n  - id: b\n    type: nope\n    depends_on: [zz]\n"
    result = workflow("import", write(tmp_path, bad), "--user", "alice")
    assert result.code == 2
    assert "steps.0.agent (node a): this field is required" in result.err
    assert "steps.1.type (node b): unknown step type 'nope'" in result.err
    assert "steps.1.depends_on (node b): unknown step 'zz'" in result.err
    assert "was not imported: 3 problem(s)" in result.err
    assert result.out == ""
    assert (Canvas.objects.count(), CanvasVersion.objects.count()) == (0, 0)


def test_a_bad_document_onto_an_existing_canvas_saves_no_version(alice, tmp_path):
    workflow("import", write(tmp_path, PLAN_YAML), "--user", "alice")
    result = workflow(
        "import",
        write(tmp_path, "steps: [1, 2", "broken.yaml"),
        "--canvas",
        "document-processing",
        "--user",
        "alice",
    )
    assert result.code == 2
    assert "document:" in result.err
    assert CanvasVersion.objects.count() == 1


def test_unsafe_yaml_is_refused(alice, tmp_path):
    evil = "name: x\nsteps: !!python/object/apply:os.system ['echo pwned']\n"
    result = workflow("import", write(tmp_path, evil), "--user", "alice")
    assert result.code == 2
    assert "python/object/apply" in result.err
    assert not Canvas.objects.exists()


def test_a_missing_file_is_a_one_line_error(alice, tmp_path):
    result = workflow("import", str(tmp_path / "nope.yaml"), "--user", "alice")
    assert result.code == 2
    assert (
        result.err.strip()
        == f"error: cannot read {tmp_path / 'nope.yaml'}: No such file or directory"
    )


def test_the_imported_plan_is_the_documents_plan(alice, tmp_path):
    workflow("import", write(tmp_path, PLAN_YAML), "--user", "alice")
    canvas = Canvas.objects.get()
    # the canvas names its result step (the document's last) explicitly
    assert plan_of(canvas) == {
        **plan_from_yaml(PLAN_YAML).model_dump(exclude_none=True),
        "result": "review",
    }
