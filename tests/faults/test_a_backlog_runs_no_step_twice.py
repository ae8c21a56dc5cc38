"""Runs posted while every worker is down wait in a backlog longer than a lease; when workers
come up, each step still runs exactly once: a claim's lease starts when its step starts."""

import pytest

from tests.faults.cluster import effect_counts
from tests.faults.runs import effect_agent, expected_keys, report, settle, start_many

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]


def test_a_backlog_longer_than_a_lease_runs_every_step_once(alice, cluster):
    effect_agent()
    runs = start_many(alice, 24)  # nobody is listening yet

    # Every step goes through the broker (no local shortcut): the queue stays long, steps
    # wait in it for more than the 2 s lease before a worker takes them.
    for name in ("a", "b"):
        cluster.worker(name, concurrency=2, BATON_WORKER_LOCAL_SLOTS=0, BATON_STEP_LEASE_SECONDS=2)
    runs = settle(runs)

    assert report(runs) == {}
    counts = effect_counts(cluster.agent_files)
    assert set(counts) == expected_keys(runs)
    assert {key: n for key, n in counts.items() if n > 1} == {}
