"""workspace_statistics: counts over Baton's own data through the ORM."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from canvas.models import Agent, Canvas, CanvasVersion
from demo import agents as demo


def stats(query="workspace statistics", history=None):
    return demo.workspace_statistics(
        {"query": query, "history": history or [], "input": {}, "context": {}}
    )


@pytest.fixture
def workspace(alice, bob):
    first = Canvas.objects.create(name="Support bot", slug="support-bot", owner=alice)
    second = Canvas.objects.create(name="Reports", slug="reports", owner=bob, latest_version=2)
    for number in (1, 2):
        CanvasVersion.objects.create(canvas=second, number=number, author=bob, graph={})
    Agent.objects.create(slug="a1", name="A1", description="d", kind="llm")
    Agent.objects.create(slug="a2", name="A2", description="d", kind="llm", enabled=False)
    Agent.objects.create(
        slug="a3",
        name="A3",
        description="d",
        kind="http",
        kind_config={"url": "https://example.com"},
    )
    return first, second


def test_it_counts_canvases_versions_and_agents(workspace):
    result = stats()
    s = result["stats"]
    assert (s["canvases"], s["versions"], s["agents"], s["agents_enabled"]) == (2, 2, 3, 2)
    assert s["agents_by_kind"] == {"http": 1, "llm": 2}
    assert "Canvases: 2 (2 saved versions)" in result["text"]
    assert "Agents: 3 (2 enabled); by kind: http 1, llm 2" in result["text"]
    assert result["confidence"] == 1.0


def test_rows_list_the_most_recently_updated_canvases(workspace):
    first, second = workspace
    Canvas.objects.filter(pk=first.pk).update(updated=timezone.now() + timedelta(minutes=1))
    rows = stats()["rows"]
    assert [r["slug"] for r in rows] == ["support-bot", "reports"]
    assert rows[0]["owner"] == "alice"
    assert rows[1]["version"] == 2


def test_a_question_about_agents_gets_agent_rows(workspace):
    rows = stats("How many agents of each kind are enabled?")["rows"]
    assert rows == [
        {"kind": "http", "agents": 1, "enabled": 1},
        {"kind": "llm", "agents": 2, "enabled": 1},
    ]


def test_an_empty_workspace_has_zero_counts(db):
    result = stats()
    assert result["stats"]["canvases"] == 0
    assert result["stats"]["agents_by_kind"] == {}
    assert result["rows"] == []


def _run_model():
    try:
        return apps.get_model("coordinator", "Run")
    except LookupError:
        pytest.skip("the coordinator app has no Run model yet")


def test_it_reports_runs_by_status_and_the_median_duration(workspace, alice):
    run_model = _run_model()
    canvas = workspace[0]
    start = timezone.now()
    for status, seconds in [("succeeded", 2), ("succeeded", 4), ("failed", 10), ("running", None)]:
        run_model.objects.create(
            canvas=canvas,
            plan={},
            status=status,
            created_by=alice,
            started_at=start,
            finished_at=start + timedelta(seconds=seconds) if seconds is not None else None,
        )
    result = stats("How many runs failed?")
    runs = result["stats"]["runs"]
    assert runs["total"] == 4
    assert runs["by_status"] == {"failed": 1, "running": 1, "succeeded": 2}
    assert runs["median_duration_seconds"] == 4.0
    assert "median duration 4.0 s" in result["text"]
    assert result["rows"] == [
        {"status": "failed", "runs": 1},
        {"status": "running", "runs": 1},
        {"status": "succeeded", "runs": 2},
    ]


def test_it_counts_pending_and_decided_approvals(workspace, alice):
    run_model = _run_model()
    try:
        approval_model = apps.get_model("coordinator", "Approval")
        step_model = apps.get_model("coordinator", "StepRun")
    except LookupError:
        pytest.skip("the coordinator app has no Approval model yet")
    run = run_model.objects.create(canvas=workspace[0], plan={}, status="waiting")
    for i, status in enumerate(["pending", "approved", "rejected"]):
        step = step_model.objects.create(
            run=run, step_id=f"review{i}", type="human_approval", spec={}
        )
        approval_model.objects.create(
            run=run, step_run=step, kind="approval", prompt="ok?", status=status
        )
    result = stats("Are approvals pending?")
    assert result["stats"]["approvals"] == {"total": 3, "pending": 1, "decided": 2}
    assert "Approvals: 1 pending, 2 decided" in result["text"]
    assert result["rows"] == [
        {"state": "pending", "approvals": 1},
        {"state": "decided", "approvals": 2},
    ]


def test_the_output_is_json_serialisable(workspace):
    import json

    json.dumps(stats())
