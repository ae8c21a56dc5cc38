"""200 agent calls that hang for an hour, each cut off by its 0.5 s timeout, in a real worker:
the hung calls never take the threads later calls need, so the normal runs after them all
succeed."""

import pytest

from tests.engine_helpers import make_agent
from tests.faults.runs import effect_agent, report, settle, start_many

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

HUNG = {
    "name": "hung",
    "steps": [
        {"id": f"h{i}", "type": "agent", "agent": "hang", "query": f"h{i}", "timeout_seconds": 0.5}
        for i in range(40)
    ],
}


def test_two_hundred_hung_calls_then_normal_runs_succeed(alice, cluster):
    make_agent("hang", "Never answers.", max_concurrency=0)
    effect_agent()
    cluster.worker("a", concurrency=8)
    hung = settle(start_many(alice, 5, plan=HUNG, prefix="hung"), timeout=180)
    assert [r.status for r in hung] == ["failed"] * 5  # 200 calls, each timed out

    runs = settle(start_many(alice, 10), timeout=120)

    assert report(runs) == {}
