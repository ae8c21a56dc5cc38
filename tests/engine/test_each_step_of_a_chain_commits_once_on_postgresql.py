"""Budget, not timing: on PostgreSQL every commit waits for the write-ahead log to reach the
disk, so commits dominate a step's cost. One more step of a chain commits once: its agent's
result, its record and the claim of the next step are one transaction (the outbox is written
only when that transaction cannot go through at once). Counted here, task by task, on this
thread's connection: commits of transactions and writes made outside any transaction (each
of which PostgreSQL commits on its own)."""

import pytest
from django.db import connection

from tests.budgets.plans import chain
from tests.engine_helpers import make_agent, start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL commits"),
]

COMMITS_PER_STEP = 1


def commits_for(user, manual_dispatch, commits, steps: int) -> int:
    run = start(user, chain(steps), query="hi")
    before = commits.count
    manual_dispatch.drain()
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return commits.count - before


def test_one_more_step_of_a_chain_commits_once(alice, manual_dispatch, commits):
    make_agent("echo", "Echoes the query back.")
    short = commits_for(alice, manual_dispatch, commits, 3)
    long = commits_for(alice, manual_dispatch, commits, 8)
    per_step = (long - short) / 5
    assert per_step <= COMMITS_PER_STEP, f"{per_step} commits per step"
