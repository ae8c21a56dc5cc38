from django.apps import AppConfig

from triggers import beat


class TriggersConfig(AppConfig):
    name = "triggers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        beat.connect()
