"""The runner claims the next step inside the transaction that records a step. When that
follow-up fails, the step's outcome is still recorded — once, with its events once and the
run's event seqs gapless — and the follow-up is left to the caller (the runner advances as
before)."""

import pytest
from django.db import transaction

from coordinator import engine
from coordinator.engine import recording
from coordinator.engine.core.outcomes import Succeeded
from coordinator.models import RunEvent
from tests.engine_helpers import embedded_only, event_types, make_agent, start, step

pytestmark = pytest.mark.django_db(transaction=True)


TWO_STEPS = {
    "name": "two",
    "steps": [
        {"id": "a", "type": "agent", "agent": "echo"},
        {"id": "b", "type": "agent", "agent": "echo", "depends_on": ["a"]},
    ],
}


def first_step_claimed(user):
    """A run of a → b with a claimed (the claim kept, as the runner keeps it)."""
    make_agent("echo", "Echoes the query back.")
    with transaction.atomic():
        run = start(user, TWO_STEPS)
        _, token, row = engine.advance(run.pk, keep_one=True)
    return run, token, row


# A distributed worker's sweeper would claim b as soon as the failed follow-up leaves it pending.
@embedded_only
def test_the_outcome_is_recorded_once_and_the_follow_up_is_not_continued(alice, manual_dispatch):
    run, token, row = first_step_claimed(alice)

    def follow_up():
        engine.advance(run.pk, keep_one=True)  # claims b, then fails: all of it rolls back
        raise RuntimeError("a bug after the record")

    result = recording.record_then(row, token, Succeeded(output={"text": "done"}), follow_up)

    assert result is recording.NOT_CONTINUED
    assert step(run, "a").status == "succeeded"
    assert step(run, "a").output == {"text": "done"}
    assert step(run, "b").status == "pending"  # its claim was rolled back with the failure
    assert event_types(run).count("step.succeeded") == 1
    assert "step.started" in event_types(run) and event_types(run).count("step.started") == 1
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_follow_up_that_succeeds_commits_with_the_record(alice, manual_dispatch):
    run, token, row = first_step_claimed(alice)

    claim = recording.record_then(
        row,
        token,
        Succeeded(output={"text": "done"}),
        lambda: engine.advance(run.pk, keep_one=True),
    )

    assert claim is not None and claim[2].step_id == "b"
    assert step(run, "a").status == "succeeded"
    assert step(run, "b").status == "running"
    types = event_types(run)
    assert types[-4:] == ["agent.succeeded", "step.succeeded", "step.started", "agent.started"]
