"""A plan's `output: {format, destination}` saves a succeeded run's result under MEDIA_ROOT
and records where in run.result["artifact"]; paths that leave MEDIA_ROOT are refused."""

import json

import pytest

from tests.engine_helpers import embedded_only, make_agent, make_canvas, start, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


@pytest.fixture
def media(engine_settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    engine_settings.MEDIA_ROOT = root
    return root


def sales_plan(**output) -> dict:
    return {
        "name": "report",
        "output": output,
        "steps": [{"id": "figures", "type": "agent", "agent": "sales"}],
    }


def test_a_markdown_artifact_is_the_downloadable_result(alice, media, engine_settings):
    make_agent("sales", "Sales figures.")
    canvas = make_canvas(alice, "sales-report")
    run = wait_for(
        start(
            alice,
            sales_plan(format="markdown", destination="reports/q3.md"),
            query="Q3 revenue",
            canvas=canvas,
        )
    )

    assert run.status == "succeeded", run.error
    assert run.result["artifact"] == "reports/q3.md"
    text = (media / "reports" / "q3.md").read_text()
    assert text.startswith("# sales-report\n")
    assert "**Query:** Q3 revenue" in text
    assert "Revenue grew 12% in Q3" in text
    assert "| EU | 100 |" in text
    assert list((media / "reports").iterdir()) == [media / "reports" / "q3.md"]  # no temp file left


def test_a_json_artifact_holds_the_result_document(alice, media, engine_settings):
    make_agent("sales", "Sales figures.")
    run = wait_for(
        start(alice, sales_plan(format="json", destination="out/result.json"), query="Q3")
    )

    assert run.status == "succeeded", run.error
    document = json.loads((media / "out" / "result.json").read_text())
    assert document["run"] == str(run.pk)
    assert document["status"] == "succeeded"
    assert document["query"] == "Q3"
    assert document["result"]["answer"] == "Revenue grew 12% in Q3 to 4.2 million dollars in sales."
    assert document["result"]["output"]["rows"][1] == {"region": "US", "revenue": 200}


def test_a_destination_can_name_the_run(alice, media, engine_settings):
    make_agent("sales", "Sales figures.")
    run = wait_for(start(alice, sales_plan(format="text", destination="runs/{{ run.id }}.txt")))

    assert run.result["artifact"] == f"runs/{run.pk}.txt"
    assert (media / "runs" / f"{run.pk}.txt").read_text() == run.result["answer"] + "\n"


def test_a_symlink_out_of_media_root_is_refused(alice, media, engine_settings, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (media / "escape").symlink_to(outside)
    make_agent("sales", "Sales figures.")
    run = wait_for(start(alice, sales_plan(destination="escape/stolen.md")))

    assert run.status == "succeeded"  # the answer is still there; only the file was refused
    assert "artifact" not in run.result
    assert "resolves outside the media directory" in run.result["artifact_error"]
    assert list(outside.iterdir()) == []


def test_a_rendered_destination_that_climbs_out_is_refused(alice, media, engine_settings, tmp_path):
    make_agent("sales", "Sales figures.")
    run = wait_for(
        start(alice, sales_plan(destination="{{ input.name }}"), input={"name": "../../evil.md"})
    )

    assert "must be a relative path inside the media directory" in run.result["artifact_error"]
    assert not (tmp_path / "evil.md").exists()
    assert not (media.parent.parent / "evil.md").exists()


def test_a_failed_run_saves_nothing(alice, media, engine_settings):
    make_agent("failing", "Always fails.")
    run = wait_for(
        start(
            alice,
            {
                "name": "broken",
                "output": {"destination": "reports/broken.md"},
                "steps": [{"id": "boom", "type": "agent", "agent": "failing"}],
            },
        )
    )

    assert run.status == "failed"
    assert not (media / "reports").exists()


def test_a_plan_cannot_even_declare_a_destination_outside_media_root():
    from pydantic import ValidationError

    from canvas.plan import Plan

    for bad in ("../etc/passwd", "/etc/passwd", "a/../../b"):
        with pytest.raises(ValidationError, match="relative path inside"):
            Plan.model_validate(sales_plan(destination=bad))
