from django.apps import AppConfig


class CoordinatorConfig(AppConfig):
    name = "coordinator"
    verbose_name = "Coordinator runs"

    def ready(self):
        # Registers the Celery tasks with dispatch's task registry (dispatch is a leaf and
        # imports no tasks): any process that can enqueue work can also send it.
        from coordinator.transport import tasks  # noqa: F401
