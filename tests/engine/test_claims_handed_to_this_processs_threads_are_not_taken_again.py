"""Messages and claims counted, not timed (embedded mode, where every task runs on this
process's threads): a step claimed by this process and handed to one of its threads goes
with its row in memory, so its execution neither reads the row again nor takes the claim a
second time (one UPDATE and one commit fewer per stage). A claim that waited for a thread
for a third of its lease takes it as a delivered one does: by then the sweeper may have
re-sent it, and the claim decides which copy runs."""

import pytest

from coordinator import clock
from coordinator.clock import ManualClock
from coordinator.engine import runner, store
from coordinator.models import StepRun
from tests.engine.coordinator_plans import EIGHT_ASKS, EIGHT_ASKS_AGENTS, coordinator_plan
from tests.engine_helpers import embedded_only, make_agent, start, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


@pytest.fixture
def claims_taken(monkeypatch):
    taken: list[int] = []
    real = store.take_claim

    def take_claim(step_run_id, claim_token, resent_at):
        taken.append(step_run_id)
        return real(step_run_id, claim_token, resent_at)

    monkeypatch.setattr(store, "take_claim", take_claim)
    return taken


def test_eight_stages_handed_to_this_processs_threads_take_no_claim_again(
    alice, engine_settings, claims_taken, agent_calls
):
    for slug, description in EIGHT_ASKS_AGENTS.items():
        make_agent(slug, description, fn="echo", max_concurrency=0)
    plan = coordinator_plan(agents=list(EIGHT_ASKS_AGENTS), enable_reflection=False)

    run = wait_for(start(alice, plan, EIGHT_ASKS))

    assert run.status == "succeeded", run.error
    stages = StepRun.objects.filter(run=run, parent="coord", status="succeeded")
    assert stages.count() == len(EIGHT_ASKS_AGENTS)
    assert len(agent_calls()) == len(EIGHT_ASKS_AGENTS)  # each stage ran once
    # the advance task's message delivers the run's first claim; nothing else is delivered
    assert claims_taken == []


def test_a_handed_over_claim_that_waited_a_third_of_its_lease_is_taken_first(
    alice, manual_dispatch, claims_taken, monkeypatch
):
    make_agent("echo", "Echoes the query back.")
    handed: list = []
    monkeypatch.setattr(
        store.dispatch, "enqueue", lambda name, *args, held=None, **kw: handed.append(held)
    )
    run = start(alice, {"name": "one", "steps": [{"id": "e", "type": "agent", "agent": "echo"}]})
    manual_clock = ManualClock()
    with clock.use(manual_clock):
        runner.advance(run.pk)  # claims e and hands it over (captured here)
        (row,) = [h for h in handed if h is not None]
        manual_clock.advance(store.lease_seconds() / 3 + 1)
        runner.execute_held(row.pk, row.claim_token, row)

    assert claims_taken == [row.pk]
    assert StepRun.objects.get(pk=row.pk).status == "succeeded"
