"""Claim leases and heartbeats are written in the database's time, not the worker's: one
clock for every worker, so a worker whose own clock is hours off neither hands out leases
that last too long nor keeps an expired claim from being re-sent. (A ManualClock stands in
for the database's clock in the tests that move time; see coordinator/clock.py.)"""

from datetime import datetime, timedelta

import pytest
from django.db.models.functions import Now

from coordinator import clock, engine
from coordinator.clock import SystemClock
from coordinator.engine import store
from coordinator.models import StepRun
from tests.engine_helpers import embedded_only, make_agent, start

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

PLAN = {"name": "one", "steps": [{"id": "only", "type": "agent", "agent": "echo", "query": "q"}]}
LEASE = 30


class SkewedClock(SystemClock):
    """This worker's clock, `hours` off the true time."""

    def __init__(self, hours: float):
        self.offset = timedelta(hours=hours)

    def now(self) -> datetime:
        return super().now() + self.offset


def database_now(row_id: int) -> datetime:
    return StepRun.objects.filter(pk=row_id).annotate(t=Now()).values_list("t", flat=True).get()


@pytest.fixture
def claim(alice, engine_settings, manual_dispatch):
    engine_settings.BATON_STEP_LEASE_SECONDS = LEASE
    make_agent("echo", "Echoes the query back.")
    start(alice, PLAN)
    manual_dispatch.drain(only=("advance",))
    return manual_dispatch.take("execute_step")


def test_a_worker_two_hours_ahead_takes_a_lease_in_database_time(claim):
    row_id, token = claim
    before = database_now(row_id)
    with clock.use(SkewedClock(hours=2)):
        assert store.take_claim(row_id, token, None)
    after = database_now(row_id)

    row = StepRun.objects.get(pk=row_id)
    assert before <= row.claimed_until - timedelta(seconds=LEASE) <= after
    assert before <= row.heartbeat_at <= after


def test_a_sweeper_two_hours_behind_still_resends_an_expired_claim(claim, manual_dispatch):
    row_id, token = claim
    holder = store.take_claim(row_id, token, None)  # ...and then its worker was killed
    StepRun.objects.filter(pk=row_id).update(claimed_until=Now() - timedelta(seconds=1))

    with clock.use(SkewedClock(hours=-2)):
        assert engine.sweep()["reclaimed"] == 1

    assert manual_dispatch.take("execute_step")[:2] == (row_id, holder)


def test_a_renewal_by_a_worker_two_hours_behind_keeps_its_claim_alive(claim):
    row_id, token = claim
    holder = store.take_claim(row_id, token, None)
    with clock.use(SkewedClock(hours=-2)):
        engine.leases._renew(row_id, holder)

    assert engine.sweep()["reclaimed"] == 0
    row = StepRun.objects.get(pk=row_id)
    assert row.claimed_until > database_now(row_id)
