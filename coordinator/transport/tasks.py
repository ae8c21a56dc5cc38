"""Thin Celery tasks: ids in, the engine does the work (docs/architecture.md). Task names
(`baton.*`) are what workers and queued messages know: they never change. Each task is also
registered with dispatch under its short name."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from coordinator import notify
from coordinator.engine import runner, sweeper
from coordinator.transport import dispatch
from coordinator.workbench.test_sets import rerun_sets_with

TRANSIENT = (OperationalError, InterfaceError)
TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(name="baton.advance", **TASK_OPTIONS)
def advance(run_id: str) -> None:
    runner.advance_and_execute(run_id)


@shared_task(name="baton.execute_step", **TASK_OPTIONS)
def execute_step(step_run_id: int, claim_token: str, resent_at: str | None = None) -> None:
    runner.execute_step(step_run_id, claim_token, resent_at)


@shared_task(name="baton.sweep", **TASK_OPTIONS)
def sweep() -> None:
    sweeper.sweep()


@shared_task(name="baton.rerun_routing_sets", **TASK_OPTIONS)
def rerun_routing_sets(agent_slug: str) -> None:
    rerun_sets_with(agent_slug)


@shared_task(name="baton.notify_item", **TASK_OPTIONS)
def notify_item(approval_id: str) -> None:
    notify.send_item_mail(approval_id)


dispatch.register("advance", advance)
dispatch.register("execute_step", execute_step, here=runner.execute_held)
dispatch.register("sweep", sweep)
dispatch.register("rerun_routing_sets", rerun_routing_sets)
dispatch.register("notify_item", notify_item)
