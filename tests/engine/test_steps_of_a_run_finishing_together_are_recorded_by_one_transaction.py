"""Steps of one run that finish together on one process's threads are recorded by one
transaction (runner._FanIn): a record that arrives while another of the same run is under
way joins it instead of waiting for the run's lock and committing on its own. Here the second
step's record arrives while the first one's transaction is open (it waits for it inside);
its thread then commits nothing but its claim, and the first step's one commit records both
and the advance that follows them. PostgreSQL: on SQLite the second thread's claim would
wait for the writer lock the first transaction holds."""

import threading
import time

import pytest
from django.db import connection

from coordinator import engine
from coordinator.engine import recording, runner
from coordinator.models import RunEvent, StepRun
from tests.engine.conftest import Commits
from tests.engine_helpers import GIVE_UP_SECONDS, make_agent, start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

TWO_STEPS = {
    "name": "two",
    "steps": [
        {"id": "a", "type": "agent", "agent": "echo"},
        {"id": "b", "type": "agent", "agent": "echo"},
    ],
}


def test_a_record_arriving_during_a_siblings_joins_its_transaction(
    alice, manual_dispatch, monkeypatch
):
    make_agent("echo", "Echoes the query back.")
    run = start(alice, TWO_STEPS, query="hi")
    manual_dispatch.drain(only=("advance",))
    (a_id, a_token), (b_id, b_token) = sorted(
        [manual_dispatch.take("execute_step"), manual_dispatch.take("execute_step")]
    )
    b_commits: list[int] = []

    def run_b():
        counter = Commits(monkeypatch)
        try:
            engine.execute_step(b_id, b_token)
        finally:
            counter.close()
            b_commits.append(counter.count)

    b = threading.Thread(target=run_b)
    real_after_success = recording.after_success

    def after_success(row, outcome):  # inside a's transaction: b finishes meanwhile
        real_after_success(row, outcome)
        if row.pk == a_id and not b.is_alive() and not b_commits:
            b.start()
            given_up = time.monotonic() + GIVE_UP_SECONDS
            while not runner.fan_in._waiting.get(str(run.pk)):
                assert time.monotonic() < given_up, "b's record never arrived"
                time.sleep(0.01)

    monkeypatch.setattr(recording, "after_success", after_success)
    a_commits = Commits(monkeypatch)
    engine.execute_step(a_id, a_token)
    a_commits.close()
    b.join(GIVE_UP_SECONDS)

    assert b_commits == [1]  # its claim, taken when its task arrived; no record of its own
    assert a_commits.count == 2  # a's claim, then one transaction: both records, the end
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    rows = StepRun.objects.filter(run=run)
    assert sorted(rows.values_list("step_id", "status")) == [
        ("a", "succeeded"),
        ("b", "succeeded"),
    ]
    succeeded = RunEvent.objects.filter(run=run, type="step.succeeded")
    assert sorted(succeeded.values_list("step", flat=True)) == ["a", "b"]  # each once
    assert manual_dispatch.queue == []
