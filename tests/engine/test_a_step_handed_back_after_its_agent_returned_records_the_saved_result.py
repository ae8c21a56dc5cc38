"""A step whose agent returned (its result in the outbox) but which was handed back before
it was recorded — here by a pause — records the saved result when it is claimed again: the
agent is not called a second time. (A row claimed for the first time skips the outbox read;
this one was claimed before, so it must not.)"""

import pytest
from django.db import transaction

from coordinator import engine, outbox
from coordinator.engine import runner
from coordinator.llm import Usage
from tests.engine_helpers import make_agent, start, step

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_saved_result_is_recorded_and_the_agent_is_not_called_again(
    alice, manual_dispatch, agent_calls
):
    make_agent("echo", "Echoes the query back.")
    with transaction.atomic():
        run = start(
            alice, {"name": "one", "steps": [{"id": "e", "type": "agent", "agent": "echo"}]}
        )
        claim = engine.advance(run.pk, keep_one=True)
    # The agent returned and its result was saved; then the run was paused before the record.
    outbox.write(claim[2], {"text": "saved before the pause"}, Usage(3, 4, 0.0))
    engine.pause(run, alice)
    assert runner._execute_one(*claim) is None
    assert step(run, "e").status == "pending"

    with transaction.atomic():  # a distributed worker's sweeper never sees it claimable
        engine.resume(run, alice)
        claim = engine.advance(run.pk, keep_one=True)
    assert claim is not None and claim[2].first_run is False
    runner.execute_step(*claim[:2])
    manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert agent_calls() == []
    assert step(run, "e").output == {"text": "saved before the pause"}
    assert step(run, "e").prompt_tokens == 3
