"""The sweeper: periodic repairs that make the database the source of truth (expired claims
re-sent, due timers and approvals resolved, deadlines enforced, lost enqueues nudged).
Started by process start-up — the web process in embedded mode (asgi.py), every Celery
worker (celery.py), the CLI when it runs a workflow in-process — never by dispatch."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Q

from coordinator import clock, shutdown, transient
from coordinator.engine import approvals, runner, store
from coordinator.models import RUN_ACTIVE, Run, RunStatus, StepRun, StepStatus
from coordinator.transient import TRANSIENT
from coordinator.transport import dispatch
from triggers.scheduler import start_scheduler

log = logging.getLogger(__name__)


def sweep() -> dict:
    """Periodic repairs: expired claims re-dispatched, due timers and approvals resolved,
    deadlines enforced, runs whose enqueue was lost nudged."""
    now = clock.now()
    stats = {"reclaimed": 0, "expired_approvals": 0, "nudged": 0}
    expired = StepRun.objects.filter(
        status=StepStatus.RUNNING, claimed_until__lt=clock.database_now()
    )
    for row in expired:
        # Only a truly expired claim (by the database's clock) is re-sent, with its own token:
        # the copy runs the step only if the holder shows no sign of life by then (see
        # store.take_claim). The lease is pushed out so the step is re-sent once per lease,
        # not once per sweep.
        if StepRun.objects.filter(
            pk=row.pk, claim_token=row.claim_token, claimed_until__lt=clock.database_now()
        ).update(claimed_until=clock.database_in(store.lease_seconds())):
            seen = _pushed_at(row.pk)
            stats["reclaimed"] += 1
            log.warning("re-sending %s of run %s: its claim expired", row.step_id, row.run_id)
            with transaction.atomic():
                dispatch.enqueue("execute_step", row.pk, str(row.claim_token), seen.isoformat())
    stats["expired_approvals"] = approvals.expire_due(now)
    stale = now - timedelta(seconds=5)
    active = Run.objects.filter(status__in=RUN_ACTIVE).filter(
        Q(deadline__lte=now)
        | Q(status=RunStatus.QUEUED, created__lte=stale)
        | Q(status__in=RUN_ACTIVE)
    )
    for run_id in active.values_list("pk", flat=True)[:500]:
        stats["nudged"] += 1
        try:
            runner.nudge(run_id)
        except IntegrityError:
            log.exception("sweep could not advance run %s", run_id)
    return stats


def _pushed_at(row_id: int) -> datetime:
    """When (database time) the sweeper pushed this claim's lease out: a holder alive after
    that moment renews with a later heartbeat, and the re-sent copy stands down."""
    until = StepRun.objects.values_list("claimed_until", flat=True).get(pk=row_id)
    return until - timedelta(seconds=store.lease_seconds())


_sweeper_started = threading.Event()


def start_sweeper(interval: float | None = None) -> None:
    """A background thread that sweeps every few seconds (embedded mode and each worker)."""
    if _sweeper_started.is_set():
        return
    _sweeper_started.set()
    every = interval or float(getattr(settings, "BATON_SWEEP_SECONDS", 5))

    def loop():
        while True:
            threading.Event().wait(every)
            if not settings.BATON_SWEEPER:
                continue  # switched off at run time (the test suite does this)
            if shutdown.draining():
                return  # a worker going away repairs nothing; the others do
            try:
                close_old_connections()
                sweep()
            except TRANSIENT as exc:
                log.warning("sweep: database unavailable (%s); next sweep retries", exc)
                transient.reset_connection()
            except Exception:
                log.exception("sweep failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, daemon=True, name="baton-sweeper").start()


def start_background() -> None:
    """Called when a web process boots. Embedded mode: this process also sweeps (expired
    claims, due timers and approvals, deadlines, runs queued by the CLI) and fires schedules.
    Distributed mode: the workers do that."""
    if dispatch.is_distributed():
        return
    if settings.BATON_SWEEPER:
        start_sweeper()
    if settings.BATON_SCHEDULER:
        start_scheduler()
