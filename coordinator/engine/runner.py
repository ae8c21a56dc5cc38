"""The run state machine (docs/architecture.md). The database is the source of truth.

`advance(run_id)` finds ready steps, claims each with a conditional UPDATE (exactly one winner)
and dispatches it; `execute_step` runs a claimed step and records its outcome with a conditional
UPDATE on its claim token, so a step's effect is recorded once per (run, step, attempt) however
often its task is delivered. Waiting steps end the task; decisions, timers and events resume them.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction

from coordinator import clock, outbox, shutdown, transient
from coordinator.context import expression_context
from coordinator.engine import statements, steps, store
from coordinator.engine.core.outcomes import Failed, Outcome, Succeeded
from coordinator.engine.core.readiness import TERMINAL, RowView, next_actions
from coordinator.engine.recording import (
    NOT_CONTINUED,
    cancel,
    complete_waiting,
    finalize_parent,
    finish_run,
    record_in_advance,
    record_joined,
    record_then,
    record_waiting_done,
    time_out,
)
from coordinator.engine.steps.coordinator import decides_instantly
from coordinator.engine.store import ControlError, intervene, lease_seconds
from coordinator.models import (
    RUN_ACTIVE,
    RUN_TERMINAL,
    Run,
    RunEvent,
    RunStatus,
    StepRun,
    StepStatus,
)
from coordinator.transient import TRANSIENT
from coordinator.transport import dispatch, events
from coordinator.transport.events import emit

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------- advancing


def advance(
    run_id,
    keep_one: bool = False,
    locked: Run | None = None,
    in_hand: list[StepRun] | None = None,
) -> tuple[int, str, StepRun] | None:
    """Move a run forward as far as it can go now. Safe to call concurrently and repeatedly.
    With keep_one, one claimed step is returned for the caller to execute instead of enqueued.
    `locked` is the Run as read under its lock by the caller's transaction (a record's);
    `in_hand` are step rows read from the database earlier (see _current_rows).

    Each pass holds the run's lock from its first read to its last write (the caller's
    transaction, or one of its own): the order a record and close_run take their locks (run,
    then steps). A pass that claimed or skipped a step first and waited for the run after (its
    events' seqs) would deadlock with a record claiming the same step, which PostgreSQL breaks
    only after deadlock_timeout (a second)."""
    kept: list[tuple[int, str, StepRun]] = []
    for _ in range(50):
        with transaction.atomic(savepoint=False):
            run, locked = locked or _lock(run_id), None
            if run is None or run.status not in RUN_ACTIVE:
                break
            if run.status == RunStatus.QUEUED and not _start(run):
                continue
            if run.deadline and clock.now() >= run.deadline:
                run = Run.objects.get(pk=run.pk)  # a resume may have moved the deadline meanwhile
                if run.deadline and clock.now() >= run.deadline:
                    time_out(run)
                    break
            rows, actions = _next_actions(run, in_hand)
            in_hand = rows
            if not _apply(run, {r.pk: r for r in rows}, actions, kept if keep_one else None):
                break
    return kept[0] if kept else None


def _lock(run_id) -> Run | None:
    return Run.objects.select_for_update().filter(pk=run_id).first()


def _next_actions(run: Run, in_hand: list[StepRun] | None = None) -> tuple[list[StepRun], list]:
    rows = _current_rows(run, in_hand)
    actions = next_actions(
        [RowView.of(r) for r in rows],
        now=clock.now(),
        context=lambda: expression_context(run, rows),
    )
    return rows, actions


def nudge(run_id) -> None:
    """The sweeper's look at an active run: advance it only when it has something to do,
    decided first without the run's lock, so looking at every active run neither takes a
    lock a record would wait for nor commits."""
    run = Run.objects.filter(pk=run_id).first()
    if run is None or run.status not in RUN_ACTIVE:
        return
    due = run.status == RunStatus.QUEUED or (run.deadline and clock.now() >= run.deadline)
    if due or any(_changes(run, a) for a in _next_actions(run)[1]):
        advance(run_id)


def _changes(run: Run, action) -> bool:
    """Whether _apply would write anything for this action."""
    if action.kind == "mark_waiting":
        return run.status == RunStatus.RUNNING
    if action.kind == "mark_running":
        return run.status == RunStatus.WAITING
    return True


#: past this many ended rows in hand, one plain read beats a long NOT IN list
IN_HAND_MAX = 500


def _current_rows(run: Run, in_hand: list[StepRun] | None) -> list[StepRun]:
    """The run's current (not superseded) step rows, in id order. A row that has ended
    (succeeded, failed, skipped, cancelled) never changes again but to be superseded, and
    whatever supersedes it inserts the step's next attempt: ended rows in hand (read from
    the database earlier) are not read again; every other row is, and every new one."""
    ended = {r.pk: r for r in in_hand or () if r.status in TERMINAL and not r.superseded}
    if not ended or len(ended) > IN_HAND_MAX:
        return statements.current_steps(run.pk, [])
    fresh = statements.current_steps(run.pk, list(ended))
    superseded = {r.step_id for r in fresh}  # an ended row's next attempt replaces it
    rows = [r for r in ended.values() if r.step_id not in superseded] + fresh
    rows.sort(key=lambda r: r.pk)
    return rows


def _start(run: Run) -> bool:
    now = clock.now()
    deadline = now + timedelta(seconds=store.max_execution_seconds(run.plan))
    # Inside the advance task's transaction a savepoint buys nothing.
    with transaction.atomic(savepoint=False):
        won = Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=now, deadline=deadline
        )
        if won:
            emit(run.id, "run.started", data={"deadline": deadline.isoformat()})
            seconds = (deadline - now).total_seconds()
            if seconds < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]:
                dispatch.enqueue("advance", str(run.id), countdown=seconds + 0.05)
    return bool(won)


def _apply(run: Run, rows: dict[int, StepRun], actions, kept: list | None = None) -> bool:
    """Carry out the actions; True when state changed in a way that may make more work ready."""
    changed = False
    ready = [rows[a.row_id] for a in actions if a.kind == "claim"]
    if ready:
        changed |= store.claim_ready(run, ready, kept, list(rows.values()))
    for action in actions:
        row = rows.get(action.row_id) if action.row_id else None
        if action.kind == "skip":
            changed |= store.skip(run, row, action.reason)
        elif action.kind == "resume":
            changed |= record_waiting_done(row, Succeeded(output=row.output or {"waited": True}))
        elif action.kind == "finalize":
            changed |= finalize_parent(run, row, [rows[i] for i in action.children])
        elif action.kind == "synthesize" and decides_instantly(row):
            changed |= _synthesise_here(run, row, rows)
        elif action.kind == "synthesize":
            keep = kept is not None and not kept
            token = store.claim_for_synthesis(run, row, dispatch_it=not keep)
            if keep and token:
                row.status, row.claim_token, row.run = StepStatus.RUNNING, token, run
                row.siblings = {r.step_id: r for r in rows.values()}
                kept.append((row.pk, token, row))
        elif action.kind == "finish":
            finish_run(run, rows.values())
        elif action.kind == "mark_waiting" and run.status == RunStatus.RUNNING:
            Run.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(status=RunStatus.WAITING)
        elif action.kind == "mark_running" and run.status == RunStatus.WAITING:
            Run.objects.filter(pk=run.pk, status=RunStatus.WAITING).update(status=RunStatus.RUNNING)
    return changed


def _synthesise_here(run: Run, row: StepRun, rows: dict[int, StepRun]) -> bool:
    """A coordinator deciding with baton/local whose stages are all done reflects and
    synthesises in the transaction that found them done (the last stage's record, usually),
    under the run's lock it holds: no claim, no second transaction, no hop; the run's end
    follows in the same transaction. Its execution writes nothing before its outcome is
    recorded, so a transaction that rolls back leaves the coordinator waiting, to be
    synthesised by the next advance, once. An executor that crashes fails the step, as in
    `_run_executor`; a database error rolls the whole transaction back."""
    row.run = run
    row.siblings = {r.step_id: r for r in rows.values()}
    try:
        outcome = steps.execute(row, run)
    except DatabaseError:
        raise
    except Exception as exc:  # an executor bug must fail the step, not wedge the run
        log.exception("step %s of run %s crashed", row.step_id, run.pk)
        outcome = Failed(error=f"{type(exc).__name__}: {exc}")
    with events.batch(run.pk):
        for write in outcome.writes:
            write()
        return record_in_advance(row, run, outcome)


# ---------------------------------------------------------------------------- executing


class LeaseKeeper:
    """One thread renews the claims of every step this process is executing, so a long step
    keeps its claim while a dead worker's claims expire and are retried by the sweeper.
    A claim gets a fresh lease when execution takes it (see `_take`); each renewal comes a
    third of a lease after the last and also records a heartbeat, the sign of life that makes
    a re-sent copy of the step stand down. A renewal that fails on the database is retried
    within a second; one whose claim was handed elsewhere (shutdown) stops."""

    RETRY_SECONDS = 1.0

    def __init__(self):
        self._due: dict[int, tuple[float, str]] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._wakes_at = 0.0  # when the waiting thread looks again by itself

    def hold(self, row_id: int, token) -> None:
        with self._wake:
            due = clock.monotonic() + lease_seconds() / 3
            self._due[row_id] = (due, str(token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, daemon=True, name="baton-lease")
                self._thread.start()
            if due < self._wakes_at:  # not woken for a claim it would see in time anyway
                self._wake.notify()

    def release(self, row_id: int) -> None:
        with self._wake:
            self._due.pop(row_id, None)

    def held(self) -> dict[int, str]:
        """The claims this process is executing now: {step run id: claim token}."""
        with self._wake:
            return {pk: token for pk, (_, token) in self._due.items()}

    def _loop(self):
        while True:
            with self._wake:
                now = clock.monotonic()
                next_due = min((due for due, _ in self._due.values()), default=now + 60)
                if next_due > now:
                    self._wakes_at = now + min(next_due - now, 60)
                    self._wake.wait(min(next_due - now, 60))
                    self._wakes_at = 0.0  # awake: it reads _due before it waits again
                    continue
                renew = {pk: token for pk, (due, token) in self._due.items() if due <= now}
                for pk in renew:
                    self._due[pk] = (now + lease_seconds() / 3, renew[pk])
            try:
                for row_id, token in renew.items():
                    self._renew(row_id, token)
            except TRANSIENT as exc:
                log.warning("renewing step claims failed (%s); retrying", exc)
                self._retry_soon(renew)
            except Exception:
                log.exception("renewing step claims failed")
                self._retry_soon(renew)
            finally:
                close_old_connections()

    def _renew(self, row_id: int, token: str) -> None:
        renewed = StepRun.objects.filter(
            pk=row_id, status=StepStatus.RUNNING, claim_token=token
        ).update(
            claimed_until=clock.database_in(lease_seconds()), heartbeat_at=clock.database_now()
        )
        if not renewed:
            self.release(row_id)  # recorded meanwhile, or handed to another worker

    def _retry_soon(self, renew: dict[int, str]) -> None:
        with self._wake:
            soon = clock.monotonic() + min(self.RETRY_SECONDS, lease_seconds() / 3)
            for pk, token in renew.items():
                if pk in self._due:
                    self._due[pk] = (soon, token)


leases = LeaseKeeper()


def advance_and_execute(run_id) -> None:
    """The advance task: move the run forward in one transaction (a run's start commits with
    its first claims), then execute one step it claimed here, as execute_step does with the
    steps that follow, instead of sending it on (its claim is durable as usual). Its events
    (a run's `run.started` and the first `step.started`) are one batch: one seq allocation,
    one insert."""
    with transaction.atomic(), events.batch(run_id):
        claim = advance(run_id, keep_one=True)
    _keep_going(claim)


def execute_step(step_run_id: int, claim_token: str, resent_at: str | None = None) -> None:
    """Run a claimed step, record it, advance the run; then keep going with one step that
    advance claimed, instead of sending it through the queue (its claim is durable as usual).
    `resent_at` marks a copy the sweeper re-sent after the claim's lease expired."""
    _keep_going(_execute_one(step_run_id, claim_token, resent_at=resent_at))


def execute_held(step_run_id: int, claim_token: str, row: StepRun) -> None:
    """execute_step for a claim this process made and handed to one of its own threads with
    its row (dispatch's `held`): never sent anywhere else, so there is no claim to take again
    nor a row to read, as for a claim kept by the thread that made it. One that waited for a
    thread long enough for its lease to be in doubt takes its claim as a delivered one does
    (the sweeper may have re-sent it)."""
    if clock.monotonic() - row.claimed_at > lease_seconds() / 3:
        execute_step(step_run_id, claim_token)
        return
    _keep_going((step_run_id, claim_token, row))


def _keep_going(claim: tuple[int, str, StepRun] | None) -> None:
    while claim is not None:  # claims kept by advance() were never sent anywhere else
        if shutdown.draining():  # this worker is going away: another one takes it
            dispatch.send_now("execute_step", claim[0], claim[1])
            return
        claim = _execute_one(*claim)


def _execute_one(
    step_run_id: int,
    claim_token: str,
    kept: StepRun | None = None,
    resent_at: str | None = None,
) -> tuple[int, str, StepRun] | None:
    if kept is None:
        claim_token = transient.retrying(
            lambda: store.take_claim(step_run_id, claim_token, resent_at),
            "taking a step's claim",
        )
        if claim_token is None:
            return None
    row = kept or transient.retrying(
        lambda: StepRun.objects.select_related("run", "run__canvas").get(pk=step_run_id),
        "loading a step",
    )
    run = row.run
    if kept is not None and not getattr(kept, "claimed_under_run_lock", False):
        # advance() read the run's status before it claimed this step: a pause or a cancel
        # may have landed since, and it applies to a kept claim as to a delivered one. (A
        # claim made in a record's transaction read the status under the run's lock, which
        # a pause or a cancel waits for: it lands after that commit, as for a delivered one.)
        run.status = Run.objects.values_list("status", flat=True).get(pk=run.pk)
    if run.status == RunStatus.PAUSED:
        StepRun.objects.filter(pk=row.pk, claim_token=claim_token).update(
            status=StepStatus.WAITING
            if row.type == "coordinator" and row.output
            else StepStatus.PENDING,
            claim_token=None,
        )
        return None
    if run.status in RUN_TERMINAL:
        StepRun.objects.filter(pk=row.pk, claim_token=claim_token).update(
            status=StepStatus.CANCELLED, claim_token=None, finished_at=clock.now()
        )
        return None
    leases.hold(row.pk, claim_token)
    try:
        outcome = _run_executor(row, run)
    finally:
        leases.release(row.pk)
    if outcome is None:  # the database stayed away: the claim expires and is re-sent
        return None
    return _record_and_advance(row, claim_token, outcome, run)


def _record_and_advance(
    row: StepRun, token: str, outcome: Outcome, run: Run
) -> tuple[int, str, StepRun] | None:
    """Record the outcome and claim the next step in one transaction (one commit per step).

    An agent's result not yet saved (`Succeeded.saved`) joins that transaction, where it is
    saved as soon as an outbox write would have saved it (see _records_at_once), without a
    commit of its own. If that transaction meets a lock held longer, fails or loses the
    database, nothing of it is kept: the result goes to the outbox first, then the record is
    made (and retried through blips) the usual way, with a savepoint that lets the outcome
    be recorded alone when what follows it fails."""

    def claim_next():  # in the record's transaction: one commit and one event batch per step
        run.status = row._run_state.status  # read under the run's lock by the record
        # The rows advance() read when it claimed this step, but this one: its output is
        # read back as stored rather than taken as the agent returned it.
        loaded = getattr(row, "siblings", None) or {}
        in_hand = [r for r in loaded.values() if r is not row and r.pk != row.pk]
        claim = advance(run.pk, keep_one=True, locked=run, in_hand=in_hand)
        if claim is not None:
            claim[2].claimed_under_run_lock = True
        return claim

    claim = _NOT_AT_ONCE
    if _records_at_once():
        claim = _record_at_once(row, token, outcome, claim_next)
    if claim is _NOT_AT_ONCE:
        if _unsaved(outcome):
            _save(row, outcome)
        claim = _record_retrying(row, token, outcome, then=claim_next)
    if claim is not NOT_CONTINUED:
        return claim
    return transient.retrying(lambda: advance(run.pk, keep_one=True), "advancing a run")


_NOT_AT_ONCE = object()  # the transaction rolled back: nothing of it was kept


class _Joining:
    """A record waiting to join the transaction of a sibling's record (see _FanIn)."""

    LEADS, RECORDED, ALONE = "leads", "recorded", "alone"

    def __init__(self, row: StepRun, token: str, outcome: Outcome):
        self.row, self.token, self.outcome = row, token, outcome
        self.key = str(row.run_id)
        self.before: dict = {}
        self.state: str | None = None
        self.done = threading.Event()

    def settle(self, state: str) -> None:
        self.state = state
        self.done.set()


class _FanIn:
    """Steps of one run that finish together on this process's threads (parallel branches,
    a coordinator's stages, pipeline items) are recorded by one transaction instead of one
    each, taken one after another behind the run's lock: one record leads; the records that
    arrive while it is under way wait for it, and it records them in its transaction, after
    its own and before its advance, which then decides once what follows them all — one
    commit, one event batch, one read of the run's rows. The leader's transaction settles
    them: recorded when it committed; when it rolled back, nothing of theirs was kept and
    each records alone, the usual way (each record is guarded by its claim token, so a
    record can never be made twice). Records that arrive after the leader took its joiners
    wait for its commit (the run's lock would have made them wait as long); the first of
    them leads next."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting: dict[str, list[_Joining]] = {}  # run → records waiting for its leader

    def arrive(self, entry: _Joining) -> bool:
        """True: `entry` leads. False: it waits for the run's leader (entry.done)."""
        if entry.outcome.writes:  # an execution's own writes go in its own record
            return True
        with self._lock:
            waiting = self._waiting.get(entry.key)
            if waiting is None:
                self._waiting[entry.key] = []
                return True
            waiting.append(entry)
            return False

    def take(self, key: str) -> list[_Joining]:
        with self._lock:
            waiting = self._waiting.get(key) or []
            if waiting:
                self._waiting[key] = []
            return waiting

    def leave(self, key: str) -> None:
        """The leader's transaction is over: the first record that waited since leads."""
        with self._lock:
            waiting = self._waiting.get(key)
            if waiting:
                waiting.pop(0).settle(_Joining.LEADS)
            else:
                self._waiting.pop(key, None)


fan_in = _FanIn()


def _record_at_once(row: StepRun, token: str, outcome: Outcome, then):
    """The record as one transaction with no savepoint inside: whatever fails in it undoes it
    all, and the caller makes the record the usual way (an unsaved result saved first). The
    events of the execution's writes and of the record are one batch (one seq allocation,
    one insert): a failure discards it with the rest. Records of the same run arriving
    meanwhile join it (_FanIn); this thread keeps the claim its advance kept, if any, and a
    record that joined another's returns None (nothing to keep)."""
    entry = _Joining(row, token, outcome)
    leads = fan_in.arrive(entry)
    if not leads:
        entry.done.wait()
        if entry.state == _Joining.RECORDED:
            return None
        if entry.state == _Joining.ALONE:
            return _record_in_one_transaction(row, token, outcome, then, None)
    if outcome.writes:  # it never entered the fan-in
        return _record_in_one_transaction(row, token, outcome, then, None)
    joined: list[_Joining] = []
    try:
        return _record_in_one_transaction(row, token, outcome, then, joined)
    finally:
        fan_in.leave(entry.key)


def _record_in_one_transaction(
    row: StepRun, token: str, outcome: Outcome, then, joined: list[_Joining] | None
):
    """_record_at_once's transaction; with a list for `joined` (a leader's), the records
    waiting for it join it and are settled here."""

    def then_with_joiners():
        if joined is not None:
            joined.extend(fan_in.take(str(row.run_id)))
        if not _unsaved(outcome) and any(_unsaved(e.outcome) for e in joined or ()):
            _bound_lock_waits()  # a joiner's result is saved here: as for the leader's
        for entry in joined or ():
            entry.before = dict(entry.row.__dict__)
            record_joined(entry.row, entry.token, entry.outcome, row._run_state)
        return then()

    before = dict(row.__dict__)
    try:
        with transaction.atomic(), events.batch(row.run_id):
            bound = _unsaved(outcome) and connection.vendor == "postgresql"
            if bound and outcome.writes:  # first in the transaction, before those writes
                _bound_lock_waits()
            # Otherwise the record's first statement bounds them, in the same round trip.
            wait_ms = settings.BATON_RECORD_LOCK_WAIT_MS if bound and not outcome.writes else None
            claim = _writes_then_record(
                row, token, outcome, then_with_joiners, redone_whole=True, lock_wait_ms=wait_ms
            )
    except Exception as exc:  # noqa: BLE001 - the outbox first, then the usual way (or raise)
        row.__dict__.clear()
        row.__dict__.update(before)
        for entry in joined or ():
            entry.row.__dict__.clear()
            entry.row.__dict__.update(entry.before)
        log.info("step %s: recording at once failed (%s); saving first", row.step_id, exc)
        return _NOT_AT_ONCE
    else:
        for entry in joined or ():
            entry.settle(_Joining.RECORDED)
        return claim
    finally:  # whatever ended the transaction, no joiner is left waiting
        for entry in joined or ():
            if entry.state is None:
                entry.settle(_Joining.ALONE)


def _writes_then_record(
    row: StepRun, token: str, outcome: Outcome, then, redone_whole=False, lock_wait_ms=None
):
    """The execution's own writes left for this transaction (Waiting.writes), then the record."""
    for write in outcome.writes:
        write()
    return record_then(
        row, token, outcome, then, redone_whole=redone_whole, lock_wait_ms=lock_wait_ms
    )


def _unsaved(outcome: Outcome) -> bool:
    return isinstance(outcome, Succeeded) and not outcome.saved


def _save(row: StepRun, outcome: Succeeded) -> None:
    outbox.write(row, outcome.output, outcome.usage)
    outcome.saved = True


def _records_at_once() -> bool:
    """PostgreSQL: the transaction's lock waits are bounded (_bound_lock_waits). SQLite: a
    write transaction takes the database's one writer lock when it begins — the lock an
    outbox insert would wait for just the same — and waits for nothing after that."""
    return connection.vendor in ("postgresql", "sqlite")


def _bound_lock_waits() -> None:
    """First in the recording transaction on PostgreSQL: a lock held elsewhere (a sibling's
    record, a row lock) fails it after BATON_RECORD_LOCK_WAIT_MS instead of keeping a result
    unsaved."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = {int(settings.BATON_RECORD_LOCK_WAIT_MS)}")


def _run_executor(row: StepRun, run: Run) -> Outcome | None:
    """The step's executor, repeated with backoff while the database is unavailable (an agent
    step re-invoked this way uses the same idempotency key, and a result it already wrote to
    the outbox is reused). None when the database stayed away for the whole retry budget."""
    try:
        return transient.retrying(lambda: steps.execute(row, run), f"executing step {row.step_id}")
    except TRANSIENT:
        log.warning(
            "step %s of run %s: database unavailable; left for the sweeper", row.step_id, run.pk
        )
        return None
    except shutdown.ProcessExiting:
        log.warning("step %s of run %s: process exiting; left for the sweeper", row.step_id, run.pk)
        return None
    except Exception as exc:  # an executor bug must fail the step, not wedge the run
        log.exception("step %s of run %s crashed", row.step_id, run.pk)
        return Failed(error=f"{type(exc).__name__}: {exc}")


def _record_retrying(row: StepRun, token, outcome: Outcome, then):
    """record_then(), as a whole transaction again when the database drops it. It updates
    the row in memory as it goes; each try starts from the row as it was."""
    before = dict(row.__dict__)

    def attempt():
        row.__dict__.update(before)
        if not outcome.writes:
            return record_then(row, token, outcome, then)
        with transaction.atomic():  # the execution's writes commit with its record
            return _writes_then_record(row, token, outcome, then)

    return transient.retrying(attempt, f"recording step {row.step_id}")


def release_claims(held: dict[int, str]) -> int:
    """Hand claims this process still executes to the broker (graceful shutdown): a fresh
    token, so the abandoned execution can no longer renew or record, and another worker
    takes the step at once. Returns how many were handed over."""
    released = 0
    for row_id, token in held.items():
        leases.release(row_id)
        fresh = str(uuid.uuid4())
        if StepRun.objects.filter(pk=row_id, status=StepStatus.RUNNING, claim_token=token).update(
            claim_token=fresh,
            claimed_until=clock.database_in(lease_seconds()),
            heartbeat_at=None,
        ):
            dispatch.send_now("execute_step", row_id, fresh)
            released += 1
    return released


# ---------------------------------------------------------------------------- controls


def pause(run: Run, user=None) -> None:
    with transaction.atomic():
        if not Run.objects.filter(pk=run.pk, status__in=RUN_ACTIVE).update(status=RunStatus.PAUSED):
            raise ControlError(f"a {run.status} run cannot be paused")
        emit(run.id, "run.paused", data={"by": getattr(user, "username", None)})


def resume(run: Run, user=None) -> None:
    with transaction.atomic():
        fresh = Run.objects.get(pk=run.pk)
        # A run paused before it started goes back to the queue, so it starts properly
        # (run.started, its deadline) instead of skipping that.
        back_to = RunStatus.RUNNING if fresh.started_at else RunStatus.QUEUED
        if not Run.objects.filter(pk=run.pk, status=RunStatus.PAUSED).update(status=back_to):
            raise ControlError(f"a {run.status} run cannot be resumed")
        emit(run.id, "run.resumed", data={"by": getattr(user, "username", None)})
        _extend_deadline_by_pause(run)
        dispatch.enqueue("advance", str(run.pk))


def _extend_deadline_by_pause(run: Run) -> None:
    """Time spent paused does not count against max_execution_time."""
    paused_at = (
        RunEvent.objects.filter(run=run, type="run.paused")
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    fresh = Run.objects.get(pk=run.pk)
    if not (paused_at and fresh.deadline):
        return
    deadline = fresh.deadline + (clock.now() - paused_at)
    Run.objects.filter(pk=run.pk).update(deadline=deadline)
    seconds = (deadline - clock.now()).total_seconds()
    if seconds < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]:
        dispatch.enqueue("advance", str(run.pk), countdown=seconds + 0.05)


def signal(run: Run, event: str, payload: dict | None = None) -> int:
    """Deliver a named event to the run's waiting `wait` steps; returns how many resumed."""
    resumed = 0
    for row in StepRun.objects.filter(
        run=run, type="wait", status=StepStatus.WAITING, superseded=False
    ):
        if row.spec.get("event") == event:
            resumed += complete_waiting(
                row, Succeeded(output={"event": event, "payload": payload or {}})
            )
    return resumed


__all__ = [
    "ControlError",
    "advance",
    "advance_and_execute",
    "cancel",
    "execute_step",
    "intervene",
    "pause",
    "release_claims",
    "resume",
    "signal",
]
