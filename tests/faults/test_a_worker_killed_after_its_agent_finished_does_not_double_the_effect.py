"""`kill -9` a worker after its agent's effect but before the step was recorded. The result
was written to the outbox first, so the rescuing worker records it without calling the agent
again; killed before even that (the agent had not returned), the agent runs again with the
same idempotency key."""

import threading
import time

import pytest
from django.db import close_old_connections, transaction

from coordinator.models import StepOutbox, StepRun
from tests.engine_helpers import start
from tests.faults.cluster import executions
from tests.faults.runs import effect_agent, report, settle

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

PLAN = {
    "name": "one-effect",
    "steps": [{"id": "work", "type": "agent", "agent": "effect", "input": {"seconds": 1}}],
}


class RowLock:
    """Holds a row lock on a step from another connection, so the worker's record (an UPDATE)
    waits; FOR NO KEY UPDATE still lets the outbox insert (a foreign-key check) through."""

    def __init__(self, row_id: int):
        self.locked, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold, args=(row_id,), daemon=True)
        self.thread.start()
        assert self.locked.wait(10)

    def _hold(self, row_id: int):
        try:
            with transaction.atomic():
                list(StepRun.objects.filter(pk=row_id).select_for_update(no_key=True))
                self.locked.set()
                self.release.wait(60)
        finally:
            close_old_connections()

    def free(self):
        self.release.set()
        self.thread.join(10)


def wait_until(predicate, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def crash_between_agent_and_save(alice, cluster, gate):
    effect_agent()
    doomed = cluster.worker("doomed", concurrency=2)
    plan = {**PLAN, "steps": [{**PLAN["steps"][0], "input": {"seconds": 0, "gate": str(gate)}}]}
    run = start(alice, plan, query="pay the invoice")
    row = StepRun.objects.get(run=run, step_id="work")
    wait_until(
        lambda: StepRun.objects.filter(pk=row.pk, heartbeat_at__isnull=False).exists(),
        "the step to start",
    )
    lock = RowLock(row.pk)  # before the agent may finish: its record must wait on this lock
    gate.touch()
    wait_until(lambda: StepOutbox.objects.filter(step_run=row).exists(), "the outbox")
    doomed.kill()
    lock.free()
    assert StepRun.objects.get(pk=row.pk).status == "running"  # nothing recorded it
    cluster.worker("rescuer", concurrency=2)
    return settle([run], timeout=60)


def crash_before_the_agent_returned(alice, cluster):
    effect_agent()
    doomed = cluster.worker("doomed", concurrency=2)
    plan = {**PLAN, "steps": [{**PLAN["steps"][0], "input": {"seconds": 0.2, "linger": 2}}]}
    run = start(alice, plan, query="pay the invoice")
    wait_until(lambda: len(executions(cluster.agent_files)) == 1, "the agent's effect")
    doomed.kill()
    cluster.worker("rescuer", concurrency=2)
    return settle([run], timeout=60)


def test_a_saved_result_is_recorded_without_running_the_agent_again(alice, cluster, tmp_path):
    runs = crash_between_agent_and_save(alice, cluster, tmp_path / "gate")

    assert report(runs) == {}
    calls = [e for e in executions(cluster.agent_files) if e["agent"] == "effect"]
    assert len(calls) == 1
    work = StepRun.objects.get(run=runs[0], step_id="work")
    assert (work.attempt, work.output["key"]) == (1, calls[0]["key"])


def test_an_unsaved_result_is_produced_again_with_the_same_key(alice, cluster):
    runs = crash_before_the_agent_returned(alice, cluster)

    assert report(runs) == {}
    calls = [e for e in executions(cluster.agent_files) if e["agent"] == "effect"]
    assert len(calls) == 2  # at least once...
    assert calls[0]["key"] == calls[1]["key"] == f"{runs[0].pk}:work:1"  # ...with the same key
    assert calls[0]["pid"] != calls[1]["pid"]
