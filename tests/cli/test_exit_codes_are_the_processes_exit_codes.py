"""Run as a real process: 0 for success, 1 for a run that failed, 2 for a refusal —
each with a one-line error on stderr and never a traceback."""

import pytest

from coordinator.models import Run
from tests.cli import FAILING_PLAN, fast_password_hashing, workflow_process  # noqa: F401
from tests.engine_helpers import make_agent, make_plan_canvas
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_succeeding_run_exits_0_and_prints_the_answer_on_stdout(alice, engine_settings):
    team_canvas(alice)
    done = workflow_process(
        "run", "team-canvas", "--query", "What was our revenue?", "--user", "alice"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Revenue grew")
    assert Run.objects.get().status == "succeeded"


def test_a_failing_run_exits_1(alice, engine_settings):
    make_agent("failing", "Always fails.")
    make_plan_canvas(alice, "broken", FAILING_PLAN)
    done = workflow_process("run", "broken", "--user", "alice")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1].startswith("error: run ")
    assert "Traceback" not in done.stderr


def test_refusals_exit_2_with_one_line_and_no_traceback(alice, charlie, engine_settings):
    team_canvas(alice)
    done = workflow_process("run", "team-canvas", "--query", "hi", "--user", "charlie")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: no canvas 'team-canvas' visible to charlie"
    assert done.stdout == ""

    done = workflow_process("status", "00000000-0000-0000-0000-000000000000", "--user", "alice")
    assert (done.returncode, done.stderr.strip()) == (
        2,
        "error: no run '00000000-0000-0000-0000-000000000000' visible to alice",
    )

    done = workflow_process("list", "--user", "nobody")
    assert (done.returncode, done.stderr.strip()) == (2, "error: no user 'nobody'")

    done = workflow_process("frobnicate")  # argparse: usage and exit 2
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
    assert "Traceback" not in done.stderr
