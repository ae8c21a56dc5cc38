"""Once a run has ended (cancelled, timed out), none of its steps starts again: a step claimed
before the end is handed back instead of run, and an outcome recorded while the run is ending
creates nothing (no retry, no approval) that would outlive it.

Each interleaving is forced with explicit hooks, not timing: the test decides exactly where the
cancel lands. The distributed pass's worker sweeps every active run each second, so each run is
started and its first step claimed in one transaction: the worker never sees a claimable step.
"""

import threading

import pytest
from django.db import connection, transaction

from coordinator import clock, engine
from coordinator.clock import ManualClock
from coordinator.engine import recording, runner, steps, store
from coordinator.engine.core.outcomes import Failed
from coordinator.models import Approval, Run
from tests.engine_helpers import event_types, make_agent, rows, start, step, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time: this interleaving needs PostgreSQL",
)


def started_and_claimed(alice, plan: dict) -> tuple[Run, tuple]:
    """A run whose first step is claimed and kept for this thread to execute (as
    execute_step keeps the next step it claims instead of sending it through the queue)."""
    with transaction.atomic():
        run = start(alice, plan)
        claim = engine.advance(run.pk, keep_one=True)
    assert claim is not None
    return run, claim


def test_a_step_claimed_before_a_cancel_is_cancelled_not_run(alice, manual_dispatch, agent_calls):
    make_agent("echo", "Echoes the query back.")
    run, claim = started_and_claimed(
        alice, {"name": "one", "steps": [{"id": "e", "type": "agent", "agent": "echo"}]}
    )
    assert step(run, "e").status == "running"

    engine.cancel(run, alice)  # lands after advance() read the run, before the step starts
    assert runner._execute_one(*claim) is None

    assert agent_calls() == []
    assert step(run, "e").status == "cancelled"
    run.refresh_from_db()
    assert run.status == "cancelled"
    assert "step.succeeded" not in event_types(run)


def test_a_step_claimed_before_a_pause_is_handed_back_and_runs_once_resumed(
    alice, manual_dispatch, agent_calls
):
    make_agent("echo", "Echoes the query back.")
    run, claim = started_and_claimed(
        alice, {"name": "one", "steps": [{"id": "e", "type": "agent", "agent": "echo"}]}
    )

    engine.pause(run, alice)
    runner._execute_one(*claim)
    assert agent_calls() == []
    assert step(run, "e").status == "pending"

    engine.resume(run, alice)
    manual_dispatch.drain()
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert [c["agent"] for c in agent_calls()] == ["echo"]


class CancelWhileRecording:
    """Installed on a follow-up that runs inside the recording transaction, after the run's
    status was read: cancels the run from another connection, then lets the recording go on
    once the cancel has either committed or is blocked waiting for a lock the recording holds."""

    def __init__(self, run: Run, user, original):
        self.run, self.user, self.original = run, user, original
        self.pid: int | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._cancel)

    def __call__(self, *args, **kwargs):
        self.thread.start()
        wait_until(lambda: self.pid is not None, what="the cancelling connection")
        wait_until(
            lambda: not self.thread.is_alive() or self._waiting_for_a_lock(),
            what="the cancel to commit or to wait for the recording's lock",
        )
        return self.original(*args, **kwargs)

    def _cancel(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            engine.cancel(Run.objects.get(pk=self.run.pk), self.user)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test
            self.error = exc
        finally:
            connection.close()  # this thread's own connection

    def _waiting_for_a_lock(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [self.pid]
            )
            return cursor.fetchone()[0]

    def join(self):
        self.thread.join()
        if self.error:
            raise self.error


@postgres_only
def test_an_approval_requested_while_the_run_is_cancelled_is_withdrawn(
    alice, bob, manual_dispatch, monkeypatch
):
    run, claim = started_and_claimed(
        alice,
        {"name": "gate", "steps": [{"id": "ok", "type": "human_approval", "assignee": "bob"}]},
    )
    hook = CancelWhileRecording(run, alice, store.request_approval)
    monkeypatch.setattr(store, "request_approval", hook)

    runner._execute_one(*claim)
    hook.join()

    run.refresh_from_db()
    assert run.status == "cancelled"
    assert step(run, "ok").status == "cancelled"
    # requested before the cancel committed, so the cancel withdrew it
    assert list(Approval.objects.filter(run=run).values_list("status", flat=True)) == ["cancelled"]


@postgres_only
def test_a_failure_recorded_while_the_run_is_cancelled_leaves_no_retry_behind(
    alice, manual_dispatch, monkeypatch
):
    run, claim = started_and_claimed(
        alice,
        {"name": "t", "steps": [{"id": "t", "type": "transform", "output": "x", "retries": 2}]},
    )
    # A transient failure of a step that emits nothing before its run's status is read (an
    # agent's failure event would take the run's lock first and hide the interleaving).
    monkeypatch.setattr(steps, "execute", lambda row, run: Failed(error="flaked"))
    hook = CancelWhileRecording(run, alice, recording._retry)
    monkeypatch.setattr(recording, "_retry", hook)

    with clock.use(ManualClock()):  # the retry's backoff never elapses during the test
        runner._execute_one(*claim)
        hook.join()
        manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "cancelled"
    attempts = [(r.attempt, r.status) for r in rows(run, step_id="t")]
    # the retry was scheduled before the cancel committed, so the cancel cancelled it
    assert attempts == [(1, "failed"), (2, "cancelled")]
