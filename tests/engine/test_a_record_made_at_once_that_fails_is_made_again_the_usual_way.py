"""The runner records a step and claims the next one in one transaction with no savepoint
(runner._record_at_once). When anything in it fails, nothing of it is kept: the agent's
result is saved to the outbox first and the record is made again the usual way — the step
recorded once, its events once, the run's seqs gapless, and the next step claimed."""

import pytest
from django.db import transaction

from coordinator import engine
from coordinator.engine import runner
from coordinator.engine.core.outcomes import Succeeded
from coordinator.models import RunEvent, StepOutbox
from tests.engine_helpers import embedded_only, event_types, make_agent, start, step

# A distributed worker's sweeper would claim b as soon as the failed attempt leaves it pending.
pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

TWO_STEPS = {
    "name": "two",
    "steps": [
        {"id": "a", "type": "agent", "agent": "echo"},
        {"id": "b", "type": "agent", "agent": "echo", "depends_on": ["a"]},
    ],
}


def test_the_step_is_recorded_once_after_the_outbox_and_the_next_one_is_claimed(
    alice, manual_dispatch, monkeypatch
):
    make_agent("echo", "Echoes the query back.")
    with transaction.atomic():
        run = start(alice, TWO_STEPS)
        _, token, row = engine.advance(run.pk, keep_one=True)
    real_advance, calls = runner.advance, []

    def advance_failing_once(*args, **kwargs):
        calls.append(kwargs)
        claim = real_advance(*args, **kwargs)  # claims b, then fails: all of it rolls back
        if len(calls) == 1:
            raise RuntimeError("a bug after the record")
        return claim

    monkeypatch.setattr(runner, "advance", advance_failing_once)
    outcome = Succeeded(output={"text": "done"}, saved=False)

    claim = runner._record_and_advance(row, token, outcome, row.run)

    assert len(calls) == 2
    assert claim is not None and claim[2].step_id == "b"
    assert StepOutbox.objects.get(step_run_id=row.pk).output == {"text": "done"}
    assert (step(run, "a").status, step(run, "a").output) == ("succeeded", {"text": "done"})
    assert step(run, "b").status == "running"
    types = event_types(run)
    assert types.count("step.succeeded") == 1 and types.count("step.started") == 2
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
