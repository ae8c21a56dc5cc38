"""Lock order, not timing (PostgreSQL): an advance — the advance task, or the sweeper's nudge —
takes the run's lock before it touches any step, as a record does (run, then steps). While a
record holds the run's lock, an advance of the same run waits for it holding no step's lock,
so the record can still claim the step itself. Before, the advance task claimed the step
first and then waited for the run (its events' seqs): the record claiming the same step
deadlocked with it, which PostgreSQL breaks only after deadlock_timeout (the pipeline bench's
one-second stalls)."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from coordinator import clock
from coordinator.engine import runner
from coordinator.models import Run, StepRun
from tests.budgets.plans import chain
from tests.engine_helpers import GIVE_UP_SECONDS, make_agent, start, wait_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of PostgreSQL"),
]

ENTRY_POINTS = {
    "the advance task": lambda run_id: runner.advance_and_execute(run_id),
    "the sweeper's nudge": lambda run_id: runner.nudge(run_id),
}


def lock_waits_of(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_an_advance_waiting_for_a_records_run_lock_holds_no_steps_lock(
    alice, manual_dispatch, entry
):
    make_agent("echo", "Echoes the query back.")
    run = start(alice, chain(1), query="hi")  # its advance stays queued: the test delivers it
    Run.objects.filter(pk=run.pk).update(status="running", started_at=clock.now())
    ready = StepRun.objects.get(run=run, step_id="s0")
    advancing: dict = {}

    def advance():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                advancing["pid"] = cursor.fetchone()[0]
            ENTRY_POINTS[entry](str(run.pk))
        except BaseException as exc:  # reported by the test thread
            advancing["error"] = exc
        finally:
            connection.close()

    other = threading.Thread(target=advance)
    with transaction.atomic():
        Run.objects.select_for_update().get(pk=run.pk)  # a record in progress (store.lock_run)
        other.start()
        wait_until(lambda: "pid" in advancing and lock_waits_of(advancing["pid"]), what="a wait")
        try:
            with transaction.atomic():  # the record claiming the ready step itself
                list(StepRun.objects.select_for_update(nowait=True).filter(pk=ready.pk))
            step_was_free = True
        except DatabaseError:
            step_was_free = False
    other.join(GIVE_UP_SECONDS)

    assert step_was_free, f"{entry} held the step's lock while it waited for the run's"
    assert not other.is_alive() and "error" not in advancing, advancing.get("error")
    assert StepRun.objects.get(pk=ready.pk).status in ("running", "succeeded")
