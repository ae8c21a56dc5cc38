"""Redis is killed (-9, its queue lost) while runs are in flight and comes back 3 s later:
the workers reconnect and keep going, runs started during the outage are answered 202 and
run once the broker is back, no run is lost or stuck, no step runs twice with another key."""

import time

import pytest

from coordinator.models import Run
from tests.conftest import client_for
from tests.faults.cluster import effect_counts, keys_per_step
from tests.faults.runs import effect_agent, expected_keys, report, settle, start_many
from tests.runs_api.helpers import team_canvas

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]


def test_workers_and_runs_survive_a_redis_restart(alice, cluster):
    effect_agent()
    canvas = team_canvas(alice)
    workers = [cluster.worker(name, concurrency=4) for name in ("a", "b")]
    started = start_many(alice, 12, plan=slow_fanout())
    deadline = time.monotonic() + 60
    while len(effect_counts(cluster.agent_files)) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)

    cluster.redis.kill()
    api = client_for(alice)
    during = [
        api.post(f"/api/canvases/{canvas.pk}/runs/", {"query": "revenue by region"}, format="json")
        for _ in range(3)
    ]
    time.sleep(3)
    cluster.redis.start()

    assert [r.status_code for r in during] == [202, 202, 202]
    posted = list(Run.objects.filter(pk__in=[r.json()["id"] for r in during]))
    assert len(posted) == 3  # one run per request: a client has no reason to retry
    runs = settle([*started, *posted])
    assert all(w.process.poll() is None for w in workers), cluster.logs()
    assert report(runs) == {}
    assert {k for k, keys in keys_per_step(cluster.agent_files).items() if len(keys) > 1} == set()
    assert set(effect_counts(cluster.agent_files)) == expected_keys(started, slow_fanout())


def slow_fanout() -> dict:
    from tests.faults.runs import FANOUT

    return {
        **FANOUT,
        "steps": [{**step, "input": {"seconds": 0.5}} for step in FANOUT["steps"]],
    }
