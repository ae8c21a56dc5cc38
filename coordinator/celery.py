"""The Celery app. Tasks live in coordinator/tasks.py; dispatch.py decides where they run."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordinator.settings")

app = Celery("baton")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["coordinator", "triggers"])


@app.on_after_finalize.connect
def _connect_worker_signals(sender, **kwargs):
    from celery.signals import worker_ready

    @worker_ready.connect(weak=False)
    def start_sweeper(**_):
        # Every worker sweeps: expired claims of dead workers are retried without waiting
        # for the broker's visibility timeout. Claims are conditional, so sweepers never clash.
        from django.conf import settings

        from coordinator.dispatch import enable_local_execution
        from coordinator.engine import start_sweeper as start

        if settings.BATON_SWEEPER:
            start()
        enable_local_execution(settings.BATON_WORKER_LOCAL_SLOTS)
        import gc

        gc.collect()
        gc.freeze()  # long-lived start-up objects out of the collector's scans
