"""A claim gets a fresh lease when its step starts executing, however long its task waited in
a backlog; the sweeper re-sends only truly expired claims, and a re-sent copy does nothing
while the claim's holder is alive (it renewed after the sweep)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coordinator import clock, engine
from coordinator.clock import ManualClock
from coordinator.engine import store
from coordinator.models import StepRun
from tests.engine_helpers import embedded_only, make_agent, start, step

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

PLAN = {"name": "one", "steps": [{"id": "only", "type": "agent", "agent": "echo", "query": "q"}]}
LEASE = 30


@pytest.fixture
def manual_clock(engine_settings):
    engine_settings.BATON_STEP_LEASE_SECONDS = LEASE
    with clock.use(ManualClock(start=timezone.now())) as manual:
        yield manual


def claimed(alice, manual_dispatch):
    make_agent("echo", "Echoes the query back.")
    run = start(alice, PLAN)
    manual_dispatch.drain(only=("advance",))
    return run, manual_dispatch.take("execute_step")


def test_a_claim_taken_after_a_long_backlog_starts_a_fresh_lease(
    alice, manual_dispatch, manual_clock
):
    run, (row_id, token) = claimed(alice, manual_dispatch)
    manual_clock.advance(LEASE * 3)  # the task sat in the queue for three leases

    taken = store.take_claim(row_id, token, None)

    row = StepRun.objects.get(pk=row_id)
    assert taken and str(row.claim_token) == taken
    assert row.claimed_until == clock.now() + timedelta(seconds=LEASE)
    assert row.heartbeat_at == clock.now()
    assert engine.sweep()["reclaimed"] == 0  # the sweeper sees a live claim


def test_only_a_truly_expired_claim_is_resent(alice, manual_dispatch, manual_clock):
    run, (row_id, token) = claimed(alice, manual_dispatch)
    holder = store.take_claim(row_id, token, None)

    manual_clock.advance(LEASE - 1)
    assert engine.sweep()["reclaimed"] == 0
    manual_clock.advance(2)
    assert engine.sweep()["reclaimed"] == 1
    assert manual_dispatch.take("execute_step")[:2] == (row_id, holder)
    assert engine.sweep()["reclaimed"] == 0  # re-sent once per lease, not once per sweep


def test_a_resent_copy_stands_down_when_the_holder_renewed_after_the_sweep(
    alice, manual_dispatch, manual_clock, agent_calls
):
    run, (row_id, token) = claimed(alice, manual_dispatch)
    holder = store.take_claim(row_id, token, None)
    manual_clock.advance(LEASE + 1)  # the holder stalled (a long GC pause, a database blip)
    engine.sweep()
    resent = manual_dispatch.take("execute_step")

    manual_clock.advance(1)
    engine.leases._renew(row_id, holder)  # ...and is back: its renewal is a sign of life
    engine.execute_step(*resent)

    assert agent_calls() == []
    assert str(step(run, "only").claim_token) == holder


def test_a_resent_copy_runs_the_step_when_the_holder_is_gone(
    alice, manual_dispatch, manual_clock, agent_calls
):
    run, (row_id, token) = claimed(alice, manual_dispatch)
    holder = store.take_claim(row_id, token, None)  # ...and then its worker was killed
    manual_clock.advance(LEASE + 1)
    engine.sweep()

    engine.execute_step(*manual_dispatch.take("execute_step"))
    manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert len(agent_calls()) == 1
    engine.leases._renew(row_id, holder)  # the dead holder's token is worthless now
    assert step(run, "only").claim_token is None
