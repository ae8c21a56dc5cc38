"""`workflow run` exits 1 when the run fails, times out or is cancelled, and says why."""

import pytest

from coordinator.models import Run
from tests.cli import FAILING_PLAN, fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import make_agent, make_plan_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_run_exits_1_with_the_error(alice, engine_settings):
    make_agent("failing", "Always fails.")
    make_plan_canvas(alice, "broken", FAILING_PLAN)
    result = workflow("run", "broken", "--query", "anything", "--user", "alice")
    run = Run.objects.get()
    assert run.status == "failed"
    assert result.code == 1
    assert f"error: run {run.pk} failed in " in result.err
    assert "upstream service unavailable" in result.err
    assert any(" step.failed " in line for line in result.err.splitlines())
    assert result.out == ""  # no answer
