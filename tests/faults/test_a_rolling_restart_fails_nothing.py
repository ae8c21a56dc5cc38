"""SIGTERM, the documented way to restart a worker: it stops taking work, lets its running
steps finish, hands over what outlives BATON_SHUTDOWN_GRACE_SECONDS, and exits. A rolling
restart of both workers during a load fails nothing and runs nothing twice."""

import signal
import subprocess
import time

import pytest

from coordinator.models import StepRun
from tests.engine_helpers import start
from tests.faults.cluster import effect_counts, executions
from tests.faults.runs import FANOUT, effect_agent, expected_keys, report, settle, start_many

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]


def terminate(worker, within: float) -> int:
    """SIGTERM and the exit code; the worker must leave by itself within `within` seconds."""
    worker.process.send_signal(signal.SIGTERM)
    try:
        return worker.process.wait(within)
    except subprocess.TimeoutExpired:
        worker.kill()
        raise AssertionError("the worker did not exit after SIGTERM") from None


def test_a_rolling_restart_during_a_load_fails_nothing(alice, cluster):
    effect_agent()
    plan = {**FANOUT, "steps": [{**s, "input": {"seconds": 0.4}} for s in FANOUT["steps"]]}
    a, b = cluster.worker("a"), cluster.worker("b")
    runs = start_many(alice, 10, plan=plan)

    for old, name in ((a, "a2"), (b, "b2")):
        time.sleep(1.5)  # in the middle of the load
        assert terminate(old, within=30) == 0, cluster.logs()
        cluster.worker(name)
    runs = settle(runs)

    assert report(runs) == {}
    counts = effect_counts(cluster.agent_files)
    assert set(counts) == expected_keys(runs, plan)
    assert {key: n for key, n in counts.items() if n > 1} == {}


def test_a_step_that_outlives_the_grace_period_is_handed_to_another_worker(
    alice, cluster, tmp_path
):
    effect_agent()
    leaving = cluster.worker("leaving", BATON_SHUTDOWN_GRACE_SECONDS=1)
    gate = tmp_path / "gate"  # the call cannot finish before the test opens it
    plan = {
        "name": "long",
        "steps": [
            {
                "id": "long",
                "type": "agent",
                "agent": "effect",
                "input": {"seconds": 0, "gate": str(gate)},
            }
        ],
    }
    run = start(alice, plan, query="a long job")
    deadline = time.monotonic() + 30
    while not StepRun.objects.filter(run=run, heartbeat_at__isnull=False).exists():
        assert time.monotonic() < deadline, "the step never started"
        time.sleep(0.05)

    assert terminate(leaving, within=20) == 0, cluster.logs()
    assert StepRun.objects.get(run=run).status == "running"  # handed over, not failed
    gate.touch()
    cluster.worker("staying")
    runs = settle([run], timeout=60)

    assert report(runs) == {}
    calls = [e for e in executions(cluster.agent_files) if e["agent"] == "effect"]
    assert [c["key"] for c in calls] == [
        f"{run.pk}:long:1"
    ]  # the abandoned call died with its worker
