"""Trigger API shapes. Validation of every kind-specific field lives here (precise 400s)."""

from __future__ import annotations

import re

from rest_framework import serializers

from canvas.models import Canvas
from coordinator import clock
from coordinator.expressions import validate_expression
from triggers.models import RUN_EVENTS, Trigger, TriggerKind
from triggers.schedule import ScheduleError, check_cron, fire_times, zone

EVENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")
PREVIEW_COUNT = 5


def _templates(value, path: str):
    """(path, text) of every string that holds a {{ }} template."""
    if isinstance(value, str):
        if "{{" in value or "{%" in value:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _templates(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _templates(item, f"{path}.{index}" if path else str(index))


def check_templates(value, path: str) -> None:
    for where, text in _templates(value, path):
        problem = validate_expression(text, mode="template")
        if problem:
            raise serializers.ValidationError({where: [problem]} if where else [problem])


class TriggerSerializer(serializers.ModelSerializer):
    canvas = serializers.PrimaryKeyRelatedField(queryset=Canvas.objects.none())
    source_canvas = serializers.PrimaryKeyRelatedField(
        queryset=Canvas.objects.none(), required=False, allow_null=True
    )
    owner = serializers.CharField(source="owner.username", read_only=True)
    next_fire_times = serializers.SerializerMethodField()
    webhook_url = serializers.SerializerMethodField()

    class Meta:
        model = Trigger
        fields = [
            "id",
            "canvas",
            "name",
            "kind",
            "paused",
            "owner",
            "cron",
            "timezone",
            "catch_up",
            "next_fire_at",
            "last_fired_at",
            "next_fire_times",
            "event",
            "source_canvas",
            "query",
            "input",
            "webhook_url",
            "last_error",
            "created",
            "updated",
        ]
        read_only_fields = ["next_fire_at", "last_fired_at", "last_error", "created", "updated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            visible = Canvas.objects.visible_to(request.user)
            self.fields["canvas"].queryset = visible
            self.fields["source_canvas"].queryset = visible
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["kind"].read_only = True  # a trigger's kind is what it is
            self.fields["canvas"].read_only = True

    def get_next_fire_times(self, trigger: Trigger) -> list[str]:
        if trigger.kind != TriggerKind.SCHEDULE or trigger.paused:
            return []
        try:
            times = fire_times(trigger.cron, trigger.timezone, clock.now(), PREVIEW_COUNT)
        except ScheduleError:
            return []
        return [t.isoformat().replace("+00:00", "Z") for t in times]

    def get_webhook_url(self, trigger: Trigger) -> str | None:
        if trigger.kind != TriggerKind.WEBHOOK:
            return None
        path = f"/api/hooks/{trigger.pk}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def validate_input(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be an object (the run's input)")
        check_templates(value, "")
        return value

    def validate_query(self, value):
        check_templates(value, "")
        return value

    def validate(self, attrs):
        kind = attrs.get("kind", getattr(self.instance, "kind", None))

        def current(name, default=None):
            return attrs.get(name, getattr(self.instance, name, default))

        errors: dict[str, list[str]] = {}
        if kind == TriggerKind.SCHEDULE:
            try:
                attrs["cron"] = check_cron(current("cron", ""))
            except ScheduleError as exc:
                errors["cron"] = [str(exc)]
            try:
                zone(current("timezone", "UTC") or "UTC")
            except ScheduleError as exc:
                errors["timezone"] = [str(exc)]
        else:
            for name in ("cron",):
                if attrs.get(name):
                    errors[name] = [f"only schedule triggers have a {name}"]
        if kind == TriggerKind.EVENT:
            event = current("event", "")
            source = current("source_canvas")
            if not event or not EVENT_NAME.fullmatch(event):
                errors["event"] = [
                    "an event trigger needs an event name: letters, digits, . _ : - "
                    "(e.g. invoice.paid), or run.succeeded / run.failed with source_canvas"
                ]
            elif event in RUN_EVENTS and source is None:
                errors["source_canvas"] = [f"{event} needs the canvas whose runs it follows"]
            elif event not in RUN_EVENTS and source is not None:
                errors["source_canvas"] = [
                    "only run.succeeded and run.failed triggers follow another canvas"
                ]
        else:
            if attrs.get("event"):
                errors["event"] = ["only event triggers have an event"]
            if attrs.get("source_canvas"):
                errors["source_canvas"] = ["only event triggers follow another canvas"]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class TriggerCreatedSerializer(TriggerSerializer):
    """The creation (and rotation) response: the webhook secret, shown this once."""

    secret = serializers.CharField(read_only=True)

    class Meta(TriggerSerializer.Meta):
        fields = [*TriggerSerializer.Meta.fields, "secret"]


class SchedulePreviewSerializer(serializers.Serializer):
    cron = serializers.CharField(max_length=200, allow_blank=True)
    timezone = serializers.CharField(max_length=64, default="UTC")

    def validate(self, attrs):
        errors = {}
        try:
            attrs["cron"] = check_cron(attrs["cron"])
        except ScheduleError as exc:
            errors["cron"] = [str(exc)]
        try:
            zone(attrs["timezone"])
        except ScheduleError as exc:
            errors["timezone"] = [str(exc)]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EventSerializer(serializers.Serializer):
    name = serializers.RegexField(EVENT_NAME, max_length=200)
    payload = serializers.JSONField(required=False, default=dict)

    def validate_name(self, value):
        if value in RUN_EVENTS:
            raise serializers.ValidationError(
                f"{value} is emitted by Baton when a run ends; it cannot be posted"
            )
        return value
