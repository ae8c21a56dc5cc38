"""A python agent runs in a process of the worker's: when the worker is killed (`kill -9`),
that process dies with it, so a hung or slow agent never keeps running for a worker that is
gone, and the step is re-run elsewhere."""

import time

import pytest

from tests.engine_helpers import make_agent
from tests.faults.cluster import executions
from tests.faults.runs import start_many
from tests.processes import is_running

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

HUNG = {
    "name": "hung",
    "steps": [{"id": "h", "type": "agent", "agent": "hang", "timeout_seconds": 3600}],
}


def wait_for(predicate, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def hang_pids(agent_files) -> list[int]:
    return [e["pid"] for e in executions(agent_files) if e["agent"] == "hang"]


def test_the_agent_process_of_a_killed_worker_dies_with_it(alice, cluster, agent_files):
    make_agent("hang", "Never answers.", max_concurrency=0)
    doomed = cluster.worker("doomed")
    start_many(alice, 1, plan=HUNG)
    [pid] = wait_for(lambda: hang_pids(agent_files))
    assert is_running(pid) and pid != doomed.process.pid

    doomed.kill()

    assert wait_for(lambda: not is_running(pid)), "the agent outlived its worker"
    cluster.worker("rescuer")  # takes the expired claim: the step runs again, elsewhere
    assert len(wait_for(lambda: hang_pids(agent_files)[1:])) == 1
