"""Runs and approvals over REST (DESIGN §9). Thin: validation here, behaviour in the engine."""

import json

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas.errors import InvalidDocument
from canvas.models import Canvas
from coordinator import engine
from coordinator.api.serializers import (
    ApprovalSerializer,
    DecisionSerializer,
    InterveneSerializer,
    RunCreateSerializer,
    RunDetailSerializer,
    RunEventSerializer,
    RunSerializer,
    SignalSerializer,
)
from coordinator.approvals import DecisionError, can_decide, decide, visible_approvals
from coordinator.models import Conversation, Run, RunEvent, RunStatus, Turn
from coordinator.results import as_markdown

EVENTS_PAGE = 1000


class FormatIsOurs(DefaultContentNegotiation):
    """The result download's `?format=markdown|json` is its own parameter, not DRF's
    renderer override; the view returns plain HttpResponses."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def visible_runs(user):
    return Run.objects.filter(canvas__in=Canvas.objects.visible_to(user).values("pk"))


class CanvasRunsView(APIView):
    """Start a run of a canvas (202), or list its runs."""

    @extend_schema(request=RunCreateSerializer, responses={202: RunSerializer})
    def post(self, request, canvas_id):
        canvas = get_object_or_404(Canvas.objects.visible_to(request.user), pk=canvas_id)
        body = RunCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        version = None
        if data.get("version"):
            version = canvas.versions.filter(number=data["version"]).first()
            if version is None:
                raise ValidationError({"version": f"canvas has no version {data['version']}"})
        try:
            with transaction.atomic():
                conversation, history = _conversation(canvas, request.user, data)
                run = engine.start_run(
                    canvas,
                    user=request.user,
                    query=data["query"],
                    input=data["input"],
                    history=history,
                    conversation=conversation,
                    trigger="api",
                    version=version,
                    adaptive=data.get("adaptive"),
                )
                if data["query"]:
                    Turn.objects.create(
                        conversation=conversation, run=run, role="user", content=data["query"]
                    )
        except InvalidDocument as exc:
            return Response(
                {"detail": "The canvas cannot run.", "errors": [p.as_dict() for p in exc.problems]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=RunSerializer(many=True))
    def get(self, request, canvas_id):
        canvas = get_object_or_404(Canvas.objects.visible_to(request.user), pk=canvas_id)
        runs = canvas.runs.select_related("version", "created_by").order_by("-created")[:200]
        return Response(RunSerializer(runs, many=True).data)


def _conversation(canvas, user, data):
    if data.get("conversation"):
        conversation = Conversation.objects.filter(
            pk=data["conversation"], canvas=canvas, owner=user
        ).first()
        if conversation is None:
            raise ValidationError({"conversation": "no such conversation on this canvas"})
        return conversation, conversation.history()
    conversation = Conversation.objects.create(canvas=canvas, owner=user, title=data["query"][:200])
    history = [dict(t) for t in data.get("history") or []]
    Turn.objects.bulk_create(
        [Turn(conversation=conversation, role=t["role"], content=t["content"]) for t in history]
    )
    return conversation, history


@extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RunSerializer

    def get_queryset(self):
        runs = visible_runs(self.request.user).select_related("version", "created_by")
        params = self.request.query_params
        if params.get("canvas"):
            runs = runs.filter(canvas_id=_uuid_param("canvas", params["canvas"]))
        if params.get("trigger"):
            runs = runs.filter(source_trigger_id=_uuid_param("trigger", params["trigger"]))
        if params.get("status"):
            wanted = params["status"].split(",")
            unknown = set(wanted) - set(RunStatus.values)
            if unknown:
                raise ValidationError(
                    {"status": f"unknown status {sorted(unknown)}; use {RunStatus.values}"}
                )
            runs = runs.filter(status__in=wanted)
        return runs.order_by("-created")

    def get_serializer_class(self):
        return RunDetailSerializer if self.action == "retrieve" else RunSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("canvas", OpenApiTypes.UUID),
            OpenApiParameter(
                "trigger", OpenApiTypes.UUID, description="Runs this trigger started."
            ),
            OpenApiParameter("status", OpenApiTypes.STR),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _control(self, request, fn, *args):
        run = self.get_object()
        try:
            fn(run, *args, user=request.user) if args else fn(run, user=request.user)
        except engine.ControlError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        run.refresh_from_db()
        return Response(RunSerializer(run).data)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._control(request, engine.cancel)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._control(request, engine.pause)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._control(request, engine.resume)

    @extend_schema(request=InterveneSerializer, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def intervene(self, request, pk=None):
        body = InterveneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._control(request, engine.intervene, body.validated_data["text"])

    @extend_schema(request=SignalSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def signal(self, request, pk=None):
        """Deliver a named event to the run's `wait` steps."""
        run = self.get_object()
        body = SignalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        resumed = engine.signal(run, body.validated_data["event"], body.validated_data["payload"])
        return Response({"resumed": resumed})

    @extend_schema(
        parameters=[OpenApiParameter("after", OpenApiTypes.INT)],
        responses=RunEventSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """Persisted events after `after` (default 0), in seq order, up to 1000 per page."""
        run = self.get_object()
        after = _int_param("after", request.query_params.get("after", "0"))
        events = list(RunEvent.objects.filter(run=run, seq__gt=after).order_by("seq")[:EVENTS_PAGE])
        return Response(
            {
                "run": str(run.pk),
                "status": run.status,
                "last_seq": events[-1].seq if events else after,
                "more": len(events) == EVENTS_PAGE,
                "events": [e.as_message() for e in events],
            }
        )

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["markdown", "json"])],
        responses={200: OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"], content_negotiation_class=FormatIsOurs)
    def result(self, request, pk=None):
        """The run's result as a Markdown or JSON download."""
        run = self.get_object()
        fmt = request.query_params.get("format", "markdown")
        if fmt not in ("markdown", "json"):
            raise ValidationError({"format": "use markdown or json"})
        if fmt == "json":
            body = json.dumps(
                {
                    "run": str(run.pk),
                    "status": run.status,
                    "query": run.query,
                    "result": run.result,
                    "usage": run.usage,
                },
                indent=2,
                default=str,
            )
            response = HttpResponse(body, content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="run-{run.pk}.json"'
            return response
        response = HttpResponse(as_markdown(run), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="run-{run.pk}.md"'
        return response


@extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
class ApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ApprovalSerializer

    def get_queryset(self):
        approvals = visible_approvals(self.request.user).select_related(
            "run", "step_run", "assignee_user", "assignee_group", "decided_by"
        )
        wanted = self.request.query_params.get("status")
        if wanted:
            approvals = approvals.filter(status=wanted)
        return approvals.order_by("-created")

    @extend_schema(request=DecisionSerializer, responses=ApprovalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        approval = self.get_object()
        if not can_decide(approval, request.user):
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            approval = decide(
                approval,
                request.user,
                approve=data["approve"],
                response=data["response"],
                comment=data["comment"],
            )
        except DecisionError as exc:
            message = str(exc)
            code = (
                status.HTTP_409_CONFLICT
                if message.startswith("already")
                else status.HTTP_400_BAD_REQUEST
            )
            field, _, reason = message.partition(": ")
            body = {"detail": message}
            if code == status.HTTP_400_BAD_REQUEST and reason:
                body["errors"] = [{"field": field, "message": reason}]
            return Response(body, status=code)
        return Response(ApprovalSerializer(approval).data)


def _int_param(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: "must be an integer"}) from None
    if value < 0:
        raise ValidationError({name: "must be >= 0"})
    return value


def _uuid_param(name: str, raw: str):
    import uuid

    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationError({name: "must be a UUID"}) from None
