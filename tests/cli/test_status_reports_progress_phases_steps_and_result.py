"""`workflow status RUN` reports the run in detail: status, phases, steps, usage, result."""

import pytest

from coordinator import engine
from tests.cli import FAILING_PLAN, fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import make_agent, make_plan_canvas, wait_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_finished_run_shows_phases_steps_and_the_answer(alice, engine_settings):
    run = wait_for(engine.start_run(team_canvas(alice), user=alice, query="What was our revenue?"))
    result = workflow("status", str(run.pk), "--user", "alice")
    assert result.code == 0, result.err
    text = result.out
    assert f"Run       {run.pk}" in text
    assert "Canvas    team-canvas v1" in text
    assert "Status    succeeded" in text
    assert "Phases (coord):" in text
    for phase in ("complexity", "selection", "planning", "execution", "synthesis"):
        assert f"  {phase} " in text, phase
    assert "agents: sales" in text
    step_rows = [line.split() for line in text.splitlines() if line.startswith("  coord")]
    assert step_rows[0][:5] == ["coord", "coordinator", "-", "succeeded", "1"]
    assert step_rows[1][:5] == ["coord.s1-sales", "agent", "sales", "succeeded", "1"]
    assert "Progress  2/2 steps done" in text
    assert "Usage     " in text
    assert text.rstrip().endswith(run.result["answer"])


def test_a_failed_run_shows_its_error(alice, engine_settings):
    make_agent("failing", "Always fails.")
    canvas = make_plan_canvas(alice, "broken", FAILING_PLAN)
    run = wait_for(engine.start_run(canvas, user=alice, query="x"))
    text = workflow("status", str(run.pk), "--user", "alice").out
    assert "Status    failed" in text
    assert "Error: only: " in text
    assert "upstream service unavailable" in text


def test_a_unique_prefix_of_the_id_is_enough(alice, engine_settings):
    run = wait_for(engine.start_run(team_canvas(alice), user=alice, query="What was our revenue?"))
    result = workflow("status", str(run.pk)[:8], "--user", "alice")
    assert result.code == 0, result.err
    assert f"Run       {run.pk}" in result.out
