"""Graceful shutdown, engine side: the claims of steps a draining process still runs when
the grace period ends are handed to the broker with a fresh token; the abandoned execution
can no longer record them, and the worker that takes them runs the step once."""

import pytest

from coordinator import engine, shutdown
from coordinator.engine import store
from coordinator.engine.core.outcomes import Succeeded
from coordinator.models import StepRun
from tests.engine_helpers import embedded_only, make_agent, start, step

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

PLAN = {"name": "one", "steps": [{"id": "only", "type": "agent", "agent": "echo", "query": "q"}]}


@pytest.fixture
def draining():
    shutdown._draining.set()
    yield
    shutdown.reset_for_tests()


def test_a_running_step_is_handed_over_and_its_old_execution_cannot_record(
    alice, manual_dispatch, agent_calls, draining
):
    make_agent("echo", "Echoes the query back.")
    run = start(alice, PLAN)
    manual_dispatch.drain(only=("advance",))
    row_id, token = manual_dispatch.take("execute_step")
    holder = store.take_claim(row_id, token, None)
    engine.leases.hold(row_id, holder)

    assert engine.release_claims(engine.leases.held()) == 1

    handed_row, handed_token = manual_dispatch.take("execute_step")
    assert handed_row == row_id and handed_token not in (token, holder)
    assert engine.leases.held() == {}
    row = StepRun.objects.get(pk=row_id)
    assert not engine.record(row, holder, Succeeded(output={"text": "late"}))
    engine.execute_step(handed_row, handed_token)  # another worker takes it
    manual_dispatch.drain()
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert step(run, "only").output["text"] == "echo: q"
    assert len(agent_calls()) == 1
