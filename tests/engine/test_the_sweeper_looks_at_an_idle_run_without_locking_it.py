"""Budget, not timing: the sweeper looks at every active run every few seconds (a lost
enqueue is repaired that way). A run with nothing to do — waiting for a person here — is
looked at without its lock and without a commit, so the look never holds up a record of the
same run nor costs a write. A run with something to do is advanced as before."""

import pytest

from coordinator.engine import runner
from coordinator.models import Run, StepRun
from tests.engine_helpers import start, step

pytestmark = pytest.mark.django_db(transaction=True)

GATE = {"name": "gate", "steps": [{"id": "ok", "type": "human_approval", "assignee": "bob"}]}


def test_an_idle_run_is_looked_at_without_a_commit(alice, bob, manual_dispatch, commits):
    run = start(alice, GATE)
    manual_dispatch.drain(only=("advance", "execute_step"))  # not the reviewer's mail
    assert Run.objects.get(pk=run.pk).status == "waiting"

    before = commits.count
    runner.nudge(run.pk)

    assert commits.count == before
    assert step(run, "ok").status == "waiting"


def test_a_run_with_a_ready_step_is_advanced(alice, bob, manual_dispatch):
    run = start(alice, GATE)  # queued: its advance stays in the manual queue

    runner.nudge(run.pk)

    assert Run.objects.get(pk=run.pk).status != "queued"
    assert StepRun.objects.get(run=run, step_id="ok").status == "running"
