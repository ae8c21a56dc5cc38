"""Every database connection of the workers is terminated (pg_terminate_backend), three
times during a load: the workers reconnect and retry, no run fails because of it, and no
step's effect runs twice with different keys."""

import time

import pytest
from django.db import connection

from tests.faults.cluster import effect_counts, keys_per_step
from tests.faults.runs import FANOUT, effect_agent, expected_keys, report, settle, start_many

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]


def terminate_other_connections() -> int:
    """Only this test database's connections, never another database's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


def test_terminated_connections_fail_no_run_and_double_no_effect(alice, cluster):
    effect_agent()
    plan = {**FANOUT, "steps": [{**s, "input": {"seconds": 0.3}} for s in FANOUT["steps"]]}
    cluster.worker("a")
    cluster.worker("b")
    runs = start_many(alice, 16, plan=plan)

    terminated = []
    for _ in range(3):
        time.sleep(1.5)
        terminated.append(terminate_other_connections())
    runs = settle(runs)

    assert all(terminated), terminated  # the workers really lost their connections
    assert report(runs) == {}
    assert set(effect_counts(cluster.agent_files)) == expected_keys(runs, plan)
    assert {k for k, keys in keys_per_step(cluster.agent_files).items() if len(keys) > 1} == set()
