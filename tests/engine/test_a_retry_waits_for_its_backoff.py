"""A failed step is retried only once its backoff has passed on the engine's clock: before,
however often the run is advanced, the retry stays pending."""

import pytest

from coordinator import clock, engine
from coordinator.clock import ManualClock
from tests.engine_helpers import embedded_only, events, make_agent, rows, start, step

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


def test_the_retry_starts_when_the_backoff_has_passed_and_not_before(
    alice, manual_dispatch, agent_calls, settings
):
    settings.BATON_RETRY_BACKOFF_SECONDS = 60
    make_agent("flaky", "Fails once, then succeeds.")
    with clock.use(ManualClock()) as manual:
        run = start(
            alice,
            {"name": "r", "steps": [{"id": "f", "type": "agent", "agent": "flaky", "retries": 1}]},
        )
        manual_dispatch.drain()  # the first attempt fails; the retry is scheduled

        assert [(r.attempt, r.status) for r in rows(run, step_id="f")] == [
            (1, "failed"),
            (2, "pending"),
        ]
        assert events(run, "agent.retrying")[0].data["delay_seconds"] == 60
        assert [delay for name, _, delay in manual_dispatch.delayed if name == "advance"][-1] == 60

        manual.advance(59)
        engine.advance(run.pk)
        manual_dispatch.drain()
        assert step(run, "f").status == "pending"
        assert len(agent_calls()) == 1

        manual.advance(1)
        engine.advance(run.pk)  # what the delayed advance (or the sweeper) does at that time
        manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert [(r.attempt, r.status) for r in rows(run, step_id="f")] == [
        (1, "failed"),
        (2, "succeeded"),
    ]
    assert len(agent_calls()) == 2
