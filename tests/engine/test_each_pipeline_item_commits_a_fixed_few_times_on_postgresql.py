"""Budget, not timing: on PostgreSQL every commit waits for the write-ahead log to reach the
disk, and a pipeline's commits that take the run's lock are taken one after another. An item
through two stages after its producer commits four times: its hand-over (inserted and
claimed in one transaction), the claim taken by the thread that runs it, and one record per
stage (the next stage's step is inserted, and claimed, by the record of the one before it;
no outbox write first). Counted on this thread's connection, which runs every task here.
Measured when set: 4 per item; before, 7 (the hand-over's insert and claim apart, the
stage's result saved and its next step inserted before its record)."""

import pytest
from django.db import connection

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts PostgreSQL commits"),
]

ITEMS = 10  # tests.engine_agents.ticker's
COMMITS_PER_ITEM = 4
QUERY = "Generate numbers, then double each number, then square each doubled number"


def test_an_item_through_two_stages_commits_four_times(alice, manual_dispatch, commits):
    make_agent(
        "numbers",
        "Generates a list of numbers: counts items and produces numbered records.",
        fn="ticker",
        max_concurrency=0,  # unlimited, as in the benchmark: no item is held back for a slot
    )
    make_agent("double", "Doubles each number: multiplies values by two.", max_concurrency=0)
    make_agent(
        "square",
        "Squares each doubled number: multiplies a value by itself.",
        fn="double",
        max_concurrency=0,
    )
    plan = coordinator_plan(
        agents=["numbers", "double", "square"],
        coordination_strategy="pipeline",
        enable_reflection=False,
    )
    run = start(alice, plan, query=QUERY)
    before = commits.count
    manual_dispatch.drain()
    run.refresh_from_db()

    assert run.status == "succeeded", run.error
    stages = StepRun.objects.filter(run=run, parent="coord", status="succeeded")
    assert stages.filter(agent="square").count() == ITEMS
    # the run's own: its start with the coordinator's claim, the coordinator's two records
    # (the second ends the run), the producer's claim and record
    own = 5
    per_item = (commits.count - before - own) / ITEMS
    assert per_item <= COMMITS_PER_ITEM, f"{per_item} commits per item"
