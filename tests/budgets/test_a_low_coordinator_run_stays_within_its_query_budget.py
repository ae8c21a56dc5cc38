"""Budget, not timing: the SQL queries of a whole LOW coordinator run (one agent chosen),
from its creation to `run.succeeded`, counted by Django on this thread's connection with
every task delivered in this thread. Measured when set (SQLite, embedded mode): 95 queries
and 3 tasks sent; 83 queries since each step's record and the next claim are one transaction;
77 (creation cut too) since a baton/local coordinator's phase events and decisions are written by the
transaction that records its pass; 74, then 59 since the cuts of the per-step budget (and a
succeeded run looks for no nested run to cancel, and a coordinator's phase events join the
batch of its record's events); 58 since a run's agents are resolved without reading its user;
53 since a baton/local coordinator's synthesis is made in the transaction that records its
last stage (no synthesis claim, no second record); 52 since the agents its planning resolved
serve its stage's claim; 50 since baton/local counts the agents' running steps only to
balance load (51 before it)."""

import pytest

from tests.engine.coordinator_plans import coordinator_plan, register_team
from tests.engine_helpers import embedded_only, start

# Counted in this process, task by task: embedded mode only.
pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

QUERIES_PER_LOW_RUN = 52  # 50, and room for a 2-second cache (limits, a run's agents) expiring
MESSAGES_PER_LOW_RUN = 3


def test_a_low_run_from_creation_to_its_answer_stays_within_budget(
    alice, tasks, django_assert_max_num_queries
):
    register_team()
    with django_assert_max_num_queries(QUERIES_PER_LOW_RUN):
        run = start(alice, coordinator_plan(), query="How much revenue did we make last quarter?")
        tasks.run_to_the_end()
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.complexity["level"] == "LOW"
    assert sum(tasks.sent.values()) <= MESSAGES_PER_LOW_RUN, dict(tasks.sent)
