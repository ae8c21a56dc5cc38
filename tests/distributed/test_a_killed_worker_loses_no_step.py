"""SIGKILL a Celery worker in the middle of a step; a new worker finishes the run, and each
step's effect is recorded exactly once (docs/architecture.md)."""

import time
from pathlib import Path

import pytest

from coordinator.models import RunEvent, StepRun
from tests.engine_helpers import make_agent, start, step, wait_for
from tests.workers import Worker, worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

PLAN = {
    "name": "durable",
    "steps": [
        {"id": "before", "type": "agent", "agent": "echo"},
        {
            "id": "work",
            "type": "agent",
            "agent": "slow-effect",
            "depends_on": ["before"],
            "input": {"seconds": 2},
        },
        {"id": "after", "type": "agent", "agent": "echo", "depends_on": ["work"]},
    ],
}


def test_a_run_survives_its_worker_being_killed_mid_step(
    alice, engine_settings, agent_files, agent_calls, shared_worker
):
    shared_worker.stop()  # this test needs to know which worker holds the step
    make_agent("echo", "Echoes.")
    make_agent("slow-effect", "Works slowly.", fn="slow_effect")
    started = Path(agent_files["BATON_TEST_AGENT_LOG"] + ".started")
    started.unlink(missing_ok=True)
    first = Worker(worker_env(agent_files), name="doomed")
    run = start(alice, PLAN, query="q")
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the slow step never started"
    first.kill()
    assert step(run, "work").status == "running"

    second = Worker(worker_env(agent_files), name="rescuer")
    try:
        run = wait_for(run, timeout=60)
    finally:
        second.stop()
        shared_worker.__init__(worker_env(agent_files), name="shared")  # restore for later tests
    assert run.status == "succeeded", run.error
    assert [c["agent"] for c in agent_calls()] == ["echo", "slow_effect", "echo"]
    assert StepRun.objects.filter(run=run, step_id="work").count() == 1
    work = step(run, "work")
    assert (work.status, work.attempt) == ("succeeded", 1)
    for step_id in ("before", "work", "after"):
        assert RunEvent.objects.filter(run=run, type="step.succeeded", step=step_id).count() == 1
    seqs = list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
