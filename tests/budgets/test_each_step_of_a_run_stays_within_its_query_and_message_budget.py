"""Budgets, not timings: what one more step of a run costs in SQL queries (round trips to the
database) and in tasks sent (in distributed mode each is a broker message), counted by Django
on this thread's connection and at the transport boundary. Measured when set (SQLite,
embedded mode): 24 queries per step, 13.8 since a step's record, the claim of the next step
and their events are one transaction, 11.0 since that advance keeps the ended rows it read,
a run's agents are resolved once per Run object, the agent's result joins the record on
SQLite too and the record takes no savepoint; 9.4 since an agent's limit and its running
steps are one query and a run's agents are resolved without reading its user; no message per step (the engine runs the next
step of a chain itself) and 3 per run (advance, the deadline's advance, the first step)."""

import pytest

from tests.budgets.plans import chain
from tests.engine.coordinator_plans import register_team
from tests.engine_helpers import embedded_only, start

# Counted in this process, task by task: embedded mode only.
pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

QUERIES_PER_STEP = 10  # 9.4, and room for a 2-second cache (limits, a run's agents) expiring
MESSAGES_PER_RUN = 3


def cost(user, tasks, steps, django_assert_max_num_queries):
    tasks.sent.clear()
    with django_assert_max_num_queries(40 + QUERIES_PER_STEP * steps) as queries:
        run = start(user, chain(steps), query="hi")
        tasks.run_to_the_end()
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return len(queries), sum(tasks.sent.values())


def test_one_more_step_costs_at_most_the_step_budget_in_queries(
    alice, tasks, django_assert_max_num_queries
):
    register_team()
    short, _ = cost(alice, tasks, 5, django_assert_max_num_queries)
    long, _ = cost(alice, tasks, 10, django_assert_max_num_queries)
    per_step = (long - short) / 5
    assert per_step <= QUERIES_PER_STEP, f"{per_step} queries per step"


def test_a_longer_chain_sends_no_more_messages_than_a_single_step(
    alice, tasks, django_assert_max_num_queries
):
    register_team()
    _, single = cost(alice, tasks, 1, django_assert_max_num_queries)
    _, longer = cost(alice, tasks, 10, django_assert_max_num_queries)
    assert single <= MESSAGES_PER_RUN
    assert longer == single, f"{longer} messages for 10 steps, {single} for one"
