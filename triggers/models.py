"""Triggers start runs of a canvas by themselves: on a schedule, from a webhook, on an event."""

import secrets as pysecrets
import uuid

from django.conf import settings
from django.db import models

from canvas.models import Canvas
from triggers.schedule import ScheduleError, check_cron, next_fire, zone

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix that marks webhook secrets, not one


class TriggerKind(models.TextChoices):
    SCHEDULE = "schedule"
    WEBHOOK = "webhook"
    EVENT = "event"


RUN_EVENTS = ("run.succeeded", "run.failed")


class Trigger(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="triggers")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=TriggerKind.choices)
    paused = models.BooleanField(default=False, help_text="A paused trigger starts no runs.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="triggers",
        help_text="Runs it starts are created by this user.",
    )
    # schedule
    cron = models.CharField(max_length=100, blank=True, default="")
    timezone = models.CharField(max_length=64, blank=True, default="UTC")
    catch_up = models.BooleanField(
        default=True,
        help_text="After downtime, start one run for the ticks missed (never one per tick).",
    )
    next_fire_at = models.DateTimeField(null=True, blank=True)
    last_fired_at = models.DateTimeField(null=True, blank=True)
    # event
    event = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="A name posted to /api/events/, or run.succeeded / run.failed of source_canvas.",
    )
    source_canvas = models.ForeignKey(
        Canvas, null=True, blank=True, on_delete=models.CASCADE, related_name="downstream_triggers"
    )
    # payload → run
    query = models.TextField(
        blank=True, default="", help_text="Run query; may use {{ payload.x }}."
    )
    input = models.JSONField(
        default=dict, blank=True, help_text="Run input; strings may use {{ payload.x }}."
    )
    last_error = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["canvas", "name"]
        indexes = [
            models.Index(fields=["kind", "paused", "next_fire_at"]),
            models.Index(fields=["kind", "event"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.kind})"

    def schedule_from(self, now) -> None:
        """A schedule (re)starts from `now`: editing or resuming never replays ticks it
        skipped. Sets next_fire_at (None when paused, untouched for other kinds); not saved."""
        if self.kind == TriggerKind.SCHEDULE:
            self.next_fire_at = None if self.paused else next_fire(self.cron, self.timezone, now)

    def clean(self):
        """The admin's check of what the API's serializer checks for schedules."""
        from django.core.exceptions import ValidationError

        if self.kind != TriggerKind.SCHEDULE:
            return
        errors = {}
        try:
            self.cron = check_cron(self.cron)
        except ScheduleError as exc:
            errors["cron"] = str(exc)
        try:
            zone(self.timezone or "UTC")
        except ScheduleError as exc:
            errors["timezone"] = str(exc)
        if errors:
            raise ValidationError(errors)


def new_secret() -> str:
    return SECRET_PREFIX + pysecrets.token_urlsafe(32)


class WebhookSecret(models.Model):
    """A webhook trigger's signing secret. During a rotation two are active: the new one and
    the old one until `expires_at`."""

    trigger = models.ForeignKey(Trigger, on_delete=models.CASCADE, related_name="secrets")
    secret = models.CharField(max_length=100, default=new_secret)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"secret of {self.trigger_id} (created {self.created:%Y-%m-%d})"


class WebhookDelivery(models.Model):
    """Delivery ids already accepted: each is accepted once, a replay is a 409."""

    trigger = models.ForeignKey(Trigger, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.CharField(max_length=200)
    received = models.DateTimeField()
    run = models.ForeignKey(
        "coordinator.Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received"]
        constraints = [
            models.UniqueConstraint(fields=["trigger", "delivery_id"], name="unique_delivery")
        ]

    def __str__(self):
        return self.delivery_id
