"""The Celery app. Tasks live in coordinator/transport/tasks.py; transport/dispatch.py decides
where they run."""

import logging
import os
import threading

from celery import Celery

from coordinator.broker import survive_restore_failures

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordinator.settings")

app = Celery("baton")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["coordinator.transport", "triggers"])
survive_restore_failures()
# Celery's Django fixup closes every database connection before and after each task unless
# this is set: each run's first hop (its advance task) then paid a new PostgreSQL connection
# and a backend with cold catalog caches (~8 ms connect, slower first statements). Tasks keep
# their thread's connection instead, checked as Django checks it (_reuse_connections below).
app.conf["CELERY_DB_REUSE_MAX"] = 2**62


# The handlers import the engine when they run: this module is imported by the coordinator
# package itself, before Django is set up, so it cannot import models at the top.
@app.on_after_finalize.connect
def _connect_worker_signals(sender, **kwargs):
    from celery.signals import task_postrun, task_prerun, worker_ready, worker_shutting_down

    @task_prerun.connect(weak=False)
    @task_postrun.connect(weak=False)
    def _reuse_connections(sender=None, **_):
        # What Django does around a request (and dispatch around a local task): close this
        # thread's connection only when it is past CONN_MAX_AGE or broken; the next query
        # checks a kept one first (CONN_HEALTH_CHECKS).
        if not getattr(sender.request, "is_eager", False):
            from django.db import close_old_connections

            close_old_connections()

    @worker_shutting_down.connect(weak=False)
    def drain(**_):
        # SIGTERM (a deploy): stop taking work, let running steps finish within
        # BATON_SHUTDOWN_GRACE_SECONDS, hand the rest to other workers (coordinator/shutdown.py).
        from coordinator import shutdown
        from coordinator.engine.runner import leases, release_claims

        shutdown.begin(held=leases.held, hand_over=release_claims)

    @worker_ready.connect(weak=False)
    def start_sweeper(**_):
        # Every worker sweeps: expired claims of dead workers are retried without waiting
        # for the broker's visibility timeout. Claims are conditional, so sweepers never clash.
        from django.conf import settings

        # models: this module is imported by the coordinator package before Django is set up
        from coordinator.engine.sweeper import start_sweeper as start
        from coordinator.transport.dispatch import enable_local_execution

        if settings.BATON_SWEEPER:
            start()
        enable_local_execution(settings.BATON_WORKER_LOCAL_SLOTS)
        if settings.BATON_PYTHON_AGENTS:
            # the first python-agent call need not wait for the forkserver to load Django
            threading.Thread(target=_warm_agent_processes, daemon=True).start()
        import gc

        gc.collect()
        gc.freeze()  # long-lived start-up objects out of the collector's scans


def _warm_agent_processes() -> None:
    # models: this module is imported by the coordinator package before Django is set up
    from coordinator.agents import processes

    try:
        processes.warm()
    except Exception:  # noqa: BLE001 - a call starts its own process if warming failed
        logging.getLogger(__name__).exception("could not warm the python agent processes")
