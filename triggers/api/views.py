"""Triggers over REST, plus the two ways in from outside: signed webhooks and posted events.

A trigger is visible exactly when its canvas is (a 404 otherwise); who may change what
follows the canvas rules: team members edit, only the trigger's owner or the canvas's owner
deletes it or rotates its secret.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas.models import Canvas
from coordinator import clock
from coordinator.api.serializers import RunSerializer
from coordinator.api.views import _uuid_param
from coordinator.middleware import payload_too_large
from triggers import signatures
from triggers.api.serializers import (
    PREVIEW_COUNT,
    EventSerializer,
    SchedulePreviewSerializer,
    TriggerCreatedSerializer,
    TriggerSerializer,
)
from triggers.firing import FiringError, fire, fire_event
from triggers.models import Trigger, TriggerKind, WebhookDelivery, WebhookSecret
from triggers.schedule import fire_times


class TriggerPermission(BasePermission):
    message = "Only the trigger's owner or the canvas's owner can delete it or rotate its secret."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS or view.action in ("update", "partial_update"):
            return True
        return request.user.pk in (obj.owner_id, obj.canvas.owner_id)


class TriggerViewSet(viewsets.ModelViewSet):
    """Schedule, webhook and event triggers of the canvases you can see."""

    permission_classes = [IsAuthenticated, TriggerPermission]
    serializer_class = TriggerSerializer
    query_parameters = {"list": {"canvas"}}  # see coordinator/api/query.py

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "canvas", OpenApiTypes.UUID, description="Only this canvas's triggers."
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        triggers = Trigger.objects.filter(
            canvas__in=Canvas.objects.visible_to(self.request.user).values("pk")
        ).select_related("canvas", "owner")
        canvas = self.request.query_params.get("canvas")
        if canvas:
            triggers = triggers.filter(canvas_id=_uuid_param("canvas", canvas))
        return triggers

    @transaction.atomic
    def perform_create(self, serializer):
        trigger = Trigger(owner=self.request.user, **serializer.validated_data)
        trigger.schedule_from(clock.now())
        trigger.save()
        if trigger.kind == TriggerKind.WEBHOOK:
            trigger.secret = WebhookSecret.objects.create(trigger=trigger).secret
        serializer.instance = trigger

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        trigger = serializer.instance
        data = TriggerCreatedSerializer(trigger, context=self.get_serializer_context()).data
        data["secret"] = getattr(trigger, "secret", None)
        return Response(data, status=status.HTTP_201_CREATED)

    @transaction.atomic
    def perform_update(self, serializer):
        before = Trigger.objects.select_for_update().get(pk=serializer.instance.pk)
        trigger = serializer.save()
        changed = any(
            getattr(before, name) != getattr(trigger, name)
            for name in ("cron", "timezone", "paused")
        )
        if changed:
            trigger.schedule_from(clock.now())
            trigger.last_error = "" if not trigger.paused else trigger.last_error
            trigger.save(update_fields=["next_fire_at", "last_error"])

    @extend_schema(request=None, responses={200: TriggerCreatedSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new webhook secret, shown once; the previous one keeps working for
        BATON_WEBHOOK_ROTATION_SECONDS so senders can switch over. Older ones stop now."""
        trigger = self.get_object()
        if trigger.kind != TriggerKind.WEBHOOK:
            raise ValidationError({"kind": ["only webhook triggers have a secret"]})
        now = clock.now()
        grace = now + timedelta(seconds=settings.BATON_WEBHOOK_ROTATION_SECONDS)
        with transaction.atomic():
            active = list(_active_secrets(trigger, now))
            newest = active[0] if active else None
            for old in active[1:]:
                WebhookSecret.objects.filter(pk=old.pk).update(expires_at=now)
            if newest is not None:
                WebhookSecret.objects.filter(pk=newest.pk).update(
                    expires_at=min(grace, newest.expires_at or grace)
                )
            secret = WebhookSecret.objects.create(trigger=trigger)
        data = TriggerCreatedSerializer(trigger, context=self.get_serializer_context()).data
        data["secret"] = secret.secret
        data["previous_secret_expires_at"] = grace.isoformat() if newest else None
        return Response(data)

    @extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        request=None,
        responses={200: RunSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def runs(self, request, pk=None):
        trigger = self.get_object()
        runs = trigger.runs.select_related("version", "created_by").order_by("-created")[:200]
        return Response(RunSerializer(runs, many=True).data)


class SchedulePreviewView(APIView):
    """The next five fire times of a cron expression in a time zone (for the editor)."""

    @extend_schema(request=SchedulePreviewSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        body = SchedulePreviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        times = fire_times(data["cron"], data["timezone"], clock.now(), PREVIEW_COUNT)
        return Response(
            {
                "cron": data["cron"],
                "timezone": data["timezone"],
                "next_fire_times": [t.isoformat().replace("+00:00", "Z") for t in times],
            }
        )


class EventView(APIView):
    """Post a named event: every unpaused event trigger subscribed to it, on a canvas you can
    see, starts a run. 202 with the runs started."""

    @extend_schema(request=EventSerializer, responses={202: OpenApiTypes.OBJECT})
    def post(self, request):
        body = EventSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        started, failed = fire_event(
            body.validated_data["name"], body.validated_data["payload"], request.user
        )
        return Response(
            {"runs": RunSerializer(started, many=True).data, "failed": failed},
            status=status.HTTP_202_ACCEPTED,
        )


# ---------------------------------------------------------------------------- webhooks


def _active_secrets(trigger: Trigger, now):
    return (
        WebhookSecret.objects.filter(trigger=trigger)
        .exclude(expires_at__lte=now)
        .order_by("-created", "-pk")
    )


def _refuse(status_code: int, detail: str, field: str = "") -> JsonResponse:
    body = {"detail": detail}
    if field:
        body["errors"] = [{"field": field, "message": detail}]
    return JsonResponse(body, status=status_code)


@csrf_exempt  # signed, not session-authenticated: cookies and CSRF play no part
@require_POST
def webhook(request, trigger_id):
    """POST /api/hooks/<trigger id>/: a signed JSON delivery starts one run.

    401 unsigned/badly signed/stale, 404 unknown, 409 replayed delivery or paused trigger,
    413 too large, 415 not JSON, 422 payload that does not map into the run."""
    limit = min(settings.BATON_WEBHOOK_MAX_BYTES, settings.BATON_MAX_BODY_BYTES)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _refuse(400, "Content-Length must be an integer.")
    if declared > limit:
        return payload_too_large(limit)
    trigger = (
        Trigger.objects.filter(pk=trigger_id, kind=TriggerKind.WEBHOOK)
        .select_related("canvas", "owner")
        .first()
    )
    if trigger is None:
        return _refuse(404, "No such webhook.")
    content_type = (request.content_type or "").lower()
    if content_type != "application/json":
        return _refuse(
            415, f"send the payload as application/json, not {content_type or 'nothing'}"
        )
    body = request.read(limit + 1)
    if len(body) > limit:
        return payload_too_large(limit)
    now = clock.now()
    secrets = [s.secret for s in _active_secrets(trigger, now)]
    try:
        signatures.verify(request.headers.get(signatures.HEADER), body, secrets, now.timestamp())
    except signatures.SignatureError as exc:
        return _refuse(401, str(exc), signatures.HEADER)
    delivery = request.headers.get(signatures.DELIVERY_HEADER, "")
    if not signatures.DELIVERY_ID.fullmatch(delivery):
        return _refuse(
            400,
            f"a {signatures.DELIVERY_HEADER} header (1-200 letters, digits, . _ : -) must "
            "identify each delivery",
            signatures.DELIVERY_HEADER,
        )
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return _refuse(400, "the body is not valid JSON")
    if trigger.paused:
        return _refuse(409, "the trigger is paused; resume it to accept deliveries")
    try:
        with transaction.atomic():
            record = WebhookDelivery.objects.create(
                trigger=trigger, delivery_id=delivery, received=now
            )
            run = fire(trigger, payload)
            WebhookDelivery.objects.filter(pk=record.pk).update(run=run)
    except IntegrityError:
        return _refuse(
            409, f"delivery {delivery!r} was already accepted", signatures.DELIVERY_HEADER
        )
    except FiringError as exc:
        return _refuse(422, str(exc))
    return JsonResponse(
        {"run": str(run.pk), "status": run.status, "delivery": delivery}, status=202
    )
