"""Budget, not timing: a coordinator deciding with baton/local reflects and synthesises in
the transaction that records its last stage (under the run's lock that record holds), and
the run ends in it too: no synthesis claim, no second transaction. A LOW run then commits
four times, its creation included — the run's start with the coordinator's claim, the
coordinator's plan with its stage's claim, the stage's record with the synthesis and the
run's end. Measured when set: 4 (5 before: the synthesis was claimed, then recorded apart)."""

import pytest
from django.db import connection

from coordinator.engine import runner
from coordinator.models import RunEvent, StepRun
from tests.engine.coordinator_plans import coordinator_plan, register_team
from tests.engine_helpers import make_canvas, start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL commits"),
]

COMMITS_PER_LOW_RUN = 4
QUERY = "How much revenue did we make last quarter?"


def test_a_low_run_commits_four_times_with_its_synthesis_in_the_stages_record(
    alice, manual_dispatch, commits
):
    register_team()
    canvas = make_canvas(alice, slug="low")
    before = commits.count
    run = start(alice, coordinator_plan(), query=QUERY, canvas=canvas)
    # the advance task as a worker runs it: the claims it makes are executed by its thread
    runner.advance_and_execute(*manual_dispatch.take("advance"))
    assert manual_dispatch.queue == []  # nothing sent on: no synthesis claim, no advance
    run.refresh_from_db()

    assert run.status == "succeeded", run.error
    assert run.result["answer"]
    assert commits.count - before <= COMMITS_PER_LOW_RUN
    coordinator = StepRun.objects.get(run=run, step_id="coord")
    stage = StepRun.objects.get(run=run, parent="coord")
    assert coordinator.output["stage"] == "done"
    assert coordinator.claim_token is None
    # one batch: the stage's events, the synthesis's and the run's end share one insert
    types = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("type", "at"))
    tail = [t for t, at in types if at >= stage.finished_at]
    assert tail[:2] == ["agent.succeeded", "step.succeeded"]
    assert tail[-2:] == ["step.succeeded", "run.succeeded"]
    completed = RunEvent.objects.filter(run=run, type="phase.completed")
    phases = sorted(completed.values_list("phase", flat=True))
    assert phases == sorted(
        ["complexity", "selection", "planning", "execution", "reflection", "synthesis"]
    )  # every phase, once
