"""The Celery app. Tasks live in coordinator/tasks.py; dispatch.py decides where they run."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordinator.settings")

app = Celery("baton")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["coordinator"])
