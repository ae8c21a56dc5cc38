"""200 agent calls that hang for an hour, each cut off by its 0.5 s timeout, in a real worker:
each hung call's process is killed, so nothing stays taken and the normal runs after them
all succeed, each effect executed once."""

import pytest

from tests.engine_helpers import make_agent
from tests.faults.cluster import effect_counts, executions
from tests.faults.runs import effect_agent, expected_keys, report, settle, start_many
from tests.processes import is_running

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

HUNG = {
    "name": "hung",
    "steps": [
        {"id": f"h{i}", "type": "agent", "agent": "hang", "query": f"h{i}", "timeout_seconds": 0.5}
        for i in range(40)
    ],
}


def test_two_hundred_hung_calls_then_normal_runs_succeed(alice, cluster, agent_files):
    make_agent("hang", "Never answers.", max_concurrency=0)
    effect_agent()
    cluster.worker("a", concurrency=8)
    hung = settle(start_many(alice, 5, plan=HUNG, prefix="hung"), timeout=300)
    assert [r.status for r in hung] == ["failed"] * 5  # 200 calls, each timed out
    hung_pids = [e["pid"] for e in executions(agent_files) if e["agent"] == "hang"]
    assert len(set(hung_pids)) == len(hung_pids)  # a process that timed out is never reused
    assert [pid for pid in hung_pids if is_running(pid)] == []  # it was killed

    runs = settle(start_many(alice, 10), timeout=120)

    assert report(runs) == {}, cluster.logs()
    counts = effect_counts(agent_files)
    assert set(counts) == expected_keys(runs)
    assert set(counts.values()) == {1}
