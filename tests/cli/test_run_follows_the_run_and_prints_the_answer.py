"""`workflow run` waits for the run: progress on stderr, the answer on stdout, exit 0."""

import pytest

from coordinator.models import Run
from tests.cli import fast_password_hashing, workflow  # noqa: F401
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_plain_follow_prints_events_then_the_answer(alice, engine_settings):
    team_canvas(alice)
    result = workflow("run", "team-canvas", "--query", "What was our revenue?", "--user", "alice")
    assert result.code == 0, result.err
    run = Run.objects.get()
    assert run.status == "succeeded"
    assert result.out.strip() == run.result["answer"]
    assert result.out.startswith("Revenue grew")
    lines = result.err.splitlines()
    assert lines[0] == f"run {run.pk} of team-canvas"
    assert any(" run.queued " in line for line in lines)
    assert any(
        " phase.completed " in line and "selection/coord" in line and "sales" in line
        for line in lines
    )
    assert any(" run.succeeded " in line for line in lines)
    assert lines[-1].startswith(f"run {run.pk} succeeded in ")


def test_a_canvas_given_by_id_runs_too(alice, engine_settings):
    canvas = team_canvas(alice)
    result = workflow("run", str(canvas.pk), "--query", "What was our revenue?", "--user", "alice")
    assert result.code == 0, result.err
    assert Run.objects.get().canvas == canvas


def test_the_monitor_shows_phases_steps_and_the_answer(alice, engine_settings):
    team_canvas(alice)
    result = workflow(
        "run", "team-canvas", "--query", "What was our revenue?", "--monitor", "--user", "alice"
    )
    assert result.code == 0, result.err
    run = Run.objects.get()
    for text in (
        "succeeded",
        "team-canvas",
        "complexity",
        "selection",
        "synthesis",
        "agents: sales",
        "coord.s1-sales",
        "answer",
        "Revenue grew",
    ):
        assert text in result.out, text
    assert result.err.strip() == f"run {run.pk} succeeded in {result.err.split(' in ')[-1].strip()}"


def test_a_canvas_that_cannot_run_is_refused_with_its_problems(alice, engine_settings):
    from canvas.models import Canvas

    Canvas.objects.create(name="Empty", slug="empty", owner=alice)  # never saved: no version
    result = workflow("run", "empty", "--query", "hello", "--user", "alice")
    assert result.code == 2
    assert "canvas empty cannot run" in result.err
    assert "no saved version" in result.err
    assert not Run.objects.exists()
