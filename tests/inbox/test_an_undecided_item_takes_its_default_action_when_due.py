"""An item nobody decides in time takes its step's default action on the sweep after its due
time (time moved with a ManualClock, not slept); the history records the timeout."""

from datetime import UTC, datetime, timedelta

import pytest

from coordinator import clock, engine
from tests.engine_helpers import step, wait_for
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("default", "outcome"), [("approve", "succeeded"), ("reject", "failed")])
def test_the_default_action_applies_once_the_item_is_due(
    default, outcome, alice, bob, engine_settings
):
    with clock.use(clock.ManualClock(datetime.now(UTC))) as manual:
        run, item = waiting_item(
            alice, gate("bob", approval_timeout_seconds=600, default_action=default)
        )
        assert item.due_at >= manual.now() + timedelta(seconds=600)
        # The step set the due time by its own clock: a worker's (distributed mode) runs
        # apart from this test's, so time moves to the due time the item was given.
        manual.advance((item.due_at - manual.now()).total_seconds() - 1)
        assert engine.sweep()["expired_approvals"] == 0
        manual.advance(2)
        assert engine.sweep()["expired_approvals"] == 1
        run = wait_for(run)

    assert run.status == outcome, run.error
    item.refresh_from_db()
    assert item.decided_by is None
    assert [e.action for e in item.entries.all()] == ["requested", "expired"]
    assert step(run, "review").output["by"] == "timeout"
