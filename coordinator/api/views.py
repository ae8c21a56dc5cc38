"""Runs and approvals over REST (docs/architecture.md). Thin: validation here, behaviour in the engine."""

import json
import threading

from django.db import connection, transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas.api.serializers import ErrorSerializer
from canvas.errors import InvalidDocument
from canvas.models import Canvas, CanvasVersion
from coordinator import engine, sql_rows, tenancy
from coordinator.api import run_filters
from coordinator.api.expressions import RunContextSerializer, run_context_response
from coordinator.api.serializers import (
    ApprovalDetailSerializer,
    ApprovalSerializer,
    ConflictSerializer,
    DecisionSerializer,
    InboxCountSerializer,
    InterveneSerializer,
    ReassignSerializer,
    RunCreateSerializer,
    RunDetailSerializer,
    RunEventsPageSerializer,
    RunResultDownloadSerializer,
    RunSerializer,
    SignalSerializer,
    created_run_data,
)
from coordinator.engine.approvals import (
    Conflict,
    DecisionError,
    NotAllowed,
    claim,
    decide,
    inbox_items,
    reassign,
    release,
    visible_approvals,
)
from coordinator.engine.core.results import as_markdown
from coordinator.models import Approval, Conversation, Run, RunEvent, Turn
from coordinator.retry import NotRetryable
from coordinator.retry import retry as retry_run
from coordinator.run_input import InvalidRunInput
from coordinator.single_step import TEST_TRIGGER

EVENTS_PAGE = 1000


class FormatIsOurs(DefaultContentNegotiation):
    """The result download's `?format=markdown|json` is its own parameter, not DRF's
    renderer override; the view returns plain HttpResponses."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


INCLUDE_TESTS = OpenApiParameter(
    "include_tests",
    OpenApiTypes.BOOL,
    description="Also list step tests (runs of one node, trigger `test_step`); default false.",
)


def _include_tests(request) -> bool:
    value = request.query_params.get("include_tests", "false")
    if value not in ("true", "false"):
        raise ValidationError({"include_tests": "use true or false"})
    return value == "true"


class CanvasRunsView(APIView):
    """Start a run of a canvas (202), or list its runs."""

    expensive = {"post": "runs"}  # see coordinator/api/throttles.py

    @extend_schema(request=RunCreateSerializer, responses={202: RunSerializer})
    def post(self, request, canvas_id):
        data, errors = _run_create_body(request.data)
        if errors is not None:
            # A canvas the user cannot see is a 404 whatever the body says, as it always was.
            get_object_or_404(Canvas.objects.visible_to(request.user), pk=canvas_id)
            raise ValidationError(errors)
        canvas, version = _canvas_and_version(request.user, canvas_id, data.get("version"))
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
                    trigger=_started_from(request),
                    version=version,
                    adaptive=data.get("adaptive"),
                )
                if data["query"]:
                    sql_rows.insert(
                        Turn(conversation=conversation, run=run, role="user", content=data["query"])
                    )
        except InvalidDocument as exc:
            return Response(
                {"detail": "The canvas cannot run.", "errors": [p.as_dict() for p in exc.problems]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except InvalidRunInput as exc:
            return Response(
                {"detail": "Invalid input.", "errors": exc.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(created_run_data(run), status=status.HTTP_202_ACCEPTED)

    query_parameters = {"get": {"include_tests"}}  # api/query.py

    @extend_schema(parameters=[INCLUDE_TESTS], responses=RunSerializer(many=True))
    def get(self, request, canvas_id):
        canvas = get_object_or_404(Canvas.objects.visible_to(request.user), pk=canvas_id)
        runs = canvas.runs.select_related("version", "created_by", "canvas").prefetch_related(
            "retries"
        )
        if not _include_tests(request):
            runs = runs.exclude(trigger=TEST_TRIGGER)
        runs = runs.order_by("-created")[:200]
        return Response(RunSerializer(runs, many=True).data)


_per_thread = threading.local()


def _run_create_body(body) -> tuple[dict | None, dict | None]:
    """(validated data, None) or (None, errors) of RunCreateSerializer for a POST's body, from
    one serializer per thread: DRF deep-copies a serializer's declared fields (the nested
    history and adaptive serializers with them) for every instance. Validation keeps its
    state in the attributes reset here; the fields keep none."""
    serializer = getattr(_per_thread, "run_create", None)
    if serializer is None:
        serializer = _per_thread.run_create = RunCreateSerializer()
    for name in ("_validated_data", "_errors", "_data"):
        serializer.__dict__.pop(name, None)
    serializer.initial_data = body
    try:
        if serializer.is_valid():
            return serializer.validated_data, None
        return None, serializer.errors
    finally:
        del serializer.initial_data


def _started_from(request) -> str:
    """The run's `trigger` label: "ui" when the browser app (a signed-in session) started it,
    "api" for a client with a token."""
    return "ui" if isinstance(request.successful_authenticator, SessionAuthentication) else "api"


def _canvas_and_version(user, canvas_id, number: int | None):
    """The canvas a run starts from (one `user` may see) and the version it pins — `number`,
    or the latest — in one query. The version's graph is not read: its compiled plan is
    cached per version (canvas/compiled.py), which reads the graph only the first time.
    The version is None when the canvas has none saved (start_run answers that)."""
    found = _visible_canvas_version(user, canvas_id, number)
    if found is not None:
        return found
    canvas = get_object_or_404(Canvas.objects.visible_to(user), pk=canvas_id)
    if number:
        raise ValidationError({"version": f"canvas has no version {number}"})
    return canvas, None


_CANVAS_AND_VERSION: dict[str, tuple] = {}


def _visible_canvas_version(user, canvas_id, number: int | None):
    """(canvas, version) or None, in one hand-written query (coordinator/sql_rows.py): built
    by the ORM, this read was a fifth of a POST's CPU. The tenancy rule is
    CanvasQuerySet.visible_to's — the user's own canvas, or one shared with one of the
    user's teams — as one flat condition."""
    shape = _CANVAS_AND_VERSION.get(connection.vendor)
    if shape is None:
        canvases = sql_rows.select_shape(Canvas)
        versions = sql_rows.select_shape(CanvasVersion, exclude=("graph",))
        quote = connection.ops.quote_name
        canvas_t, version_t = quote(Canvas._meta.db_table), quote(CanvasVersion._meta.db_table)
        sql = (
            f"SELECT {canvases[0]}, {versions[0]} FROM {version_t}"  # noqa: S608
            f" INNER JOIN {canvas_t} ON {canvas_t}.{quote('id')} = {version_t}.{quote('canvas_id')}"
            f" WHERE {version_t}.{quote('canvas_id')} = %s"
            f" AND {version_t}.{quote('number')} = COALESCE(%s, {canvas_t}.{quote('latest_version')})"
            f" AND {tenancy.visible_canvas_sql(canvas_t)}"
            " LIMIT 1"
        )
        shape = (sql, canvases, versions, len(canvases[1]))
        _CANVAS_AND_VERSION[connection.vendor] = shape
    sql, canvases, versions, split = shape
    key = Canvas._meta.pk.get_db_prep_value(canvas_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, number or None, user.pk, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    canvas = sql_rows.instance(Canvas, canvases, row[:split])
    version = sql_rows.instance(CanvasVersion, versions, row[split:])
    version.canvas = canvas
    return canvas, version


def _conversation(canvas, user, data):
    if data.get("conversation"):
        conversation = Conversation.objects.filter(
            pk=data["conversation"], canvas=canvas, owner=user
        ).first()
        if conversation is None:
            raise ValidationError({"conversation": "no such conversation on this canvas"})
        return conversation, conversation.history()
    # Hand-built INSERTs (coordinator/sql_rows.py), as start_run's.
    conversation = Conversation(canvas=canvas, owner=user, title=data["query"][:200])
    sql_rows.insert(conversation)
    history = [dict(t) for t in data.get("history") or []]
    if history:
        sql_rows.insert(
            *(
                Turn(conversation=conversation, role=t["role"], content=t["content"])
                for t in history
            )
        )
    return conversation, history


@extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RunSerializer
    query_parameters = {
        "list": {
            "canvas",
            "status",
            "trigger",
            "source",
            "conversation",
            "created_after",
            "created_before",
            "q",
            "include_tests",
        },
        "events": {"after"},
    }  # api/query.py

    def get_queryset(self):
        runs = (
            Run.objects.visible_to(self.request.user)
            .select_related("version", "created_by", "canvas")
            .prefetch_related("retries")
        )
        if self.action == "list":
            runs = run_filters.filtered(runs, self.request.query_params)
            if not _include_tests(self.request):
                runs = runs.exclude(trigger=TEST_TRIGGER)
        return runs.order_by("-created")

    def get_serializer_class(self):
        return RunDetailSerializer if self.action == "retrieve" else RunSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("canvas", OpenApiTypes.UUID),
            OpenApiParameter(
                "trigger", OpenApiTypes.UUID, description="Runs this trigger started."
            ),
            OpenApiParameter(
                "status", OpenApiTypes.STR, description="One status or several, comma-separated."
            ),
            OpenApiParameter(
                "source",
                OpenApiTypes.STR,
                description="How runs were started (their `trigger` label: ui, api, cli, "
                "schedule, webhook, …), comma-separated.",
            ),
            OpenApiParameter("conversation", OpenApiTypes.UUID),
            OpenApiParameter(
                "created_after", OpenApiTypes.DATETIME, description="ISO 8601 date or time."
            ),
            OpenApiParameter(
                "created_before", OpenApiTypes.DATETIME, description="ISO 8601 date or time."
            ),
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Search the query, canvas name and error."
            ),
            INCLUDE_TESTS,
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

    @extend_schema(
        request=None,
        responses={
            202: RunSerializer,
            409: OpenApiResponse(ErrorSerializer, description="The run did not fail."),
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Re-run a failed run from the step that failed, reusing the outputs of the steps
        that succeeded, as a new run linked to this one (`retried_from`)."""
        run = self.get_object()
        try:
            new = retry_run(run, user=request.user)
        except NotRetryable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except InvalidDocument as exc:
            return Response(
                {"detail": "The run cannot start.", "errors": [p.as_dict() for p in exc.problems]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(RunSerializer(new).data, status=status.HTTP_202_ACCEPTED)

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
        parameters=[OpenApiParameter("after", OpenApiTypes.INT, description="A seq, >= 0.")],
        responses=RunEventsPageSerializer,
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

    @extend_schema(responses=RunContextSerializer)
    @action(detail=True, methods=["get"])
    def context(self, request, pk=None):
        """What the run's expressions see: its input, query and each step's output (the
        editor's autocomplete, preview and test-step sample)."""
        return run_context_response(self.get_object())

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["markdown", "json"])],
        responses={
            (200, "application/json"): RunResultDownloadSerializer,
            (200, "text/markdown"): OpenApiTypes.STR,
        },
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


ERROR_400 = OpenApiResponse(ErrorSerializer, description="Invalid input, the field named.")
ERROR_401 = OpenApiResponse(ErrorSerializer, description="Not signed in.")
ERROR_404 = OpenApiResponse(ErrorSerializer, description="No such item in your inbox.")
CONFLICT_409 = OpenApiResponse(
    ConflictSerializer,
    description="Already decided, or claimed by someone else (`claimed_by` names them).",
)
ERROR_403 = OpenApiResponse(
    ErrorSerializer, description="Not signed in, or not allowed to take this decision."
)
ITEM_ERRORS = {401: ERROR_401, 403: ERROR_403, 404: ERROR_404, 409: CONFLICT_409}

INBOX_FILTERS = [
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        description="pending (default) | decided | all, or one status "
        "(approved, rejected, answered, responded, expired, cancelled)",
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=[k for k, _ in Approval.KIND_CHOICES]),
    OpenApiParameter("canvas", OpenApiTypes.UUID),
    OpenApiParameter(
        "assigned",
        OpenApiTypes.STR,
        enum=["me", "groups", "all"],
        description="me: assigned to or claimed by me; groups: assigned to my groups; "
        "all (default): my inbox (staff: every item).",
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="Search prompt, canvas, step, query."),
]
DECIDED = ["approved", "rejected", "answered", "responded", "expired", "cancelled"]


@extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
class ApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The reviewer's inbox: approvals, inputs, plan reviews and escalations."""

    serializer_class = ApprovalSerializer
    # see coordinator/api/query.py
    query_parameters = {"list": {"status", "kind", "canvas", "assigned", "q"}}

    def get_queryset(self):
        return self._loaded(visible_approvals(self.request.user))

    @staticmethod
    def _loaded(queryset):
        return queryset.select_related(
            "run__canvas",
            "run__created_by",
            "step_run",
            "assignee_user",
            "assignee_group",
            "decided_by",
            "claimed_by",
        ).prefetch_related("entries__actor")

    def get_serializer_class(self):
        return ApprovalDetailSerializer if self.action == "retrieve" else ApprovalSerializer

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        wanted = params.get("status", "pending")
        if wanted == "decided":
            queryset = queryset.filter(status__in=DECIDED)
        elif wanted != "all":
            if wanted not in ("pending", *DECIDED):
                raise ValidationError({"status": "must be pending, decided, all or a status"})
            queryset = queryset.filter(status=wanted)
        kind = params.get("kind")
        if kind:
            if kind not in dict(Approval.KIND_CHOICES):
                raise ValidationError(
                    {"kind": f"must be one of {', '.join(dict(Approval.KIND_CHOICES))}"}
                )
            queryset = queryset.filter(kind=kind)
        if params.get("canvas"):
            queryset = queryset.filter(run__canvas_id=_uuid_param("canvas", params["canvas"]))
        assigned = params.get("assigned", "all")
        user = self.request.user
        if assigned == "me":
            queryset = queryset.filter(Q(assignee_user=user) | Q(claimed_by=user))
        elif assigned == "groups":
            queryset = queryset.filter(assignee_group__in=user.groups.all())
        elif assigned != "all":
            raise ValidationError({"assigned": "must be me, groups or all"})
        text = (params.get("q") or "").strip()
        if text:
            queryset = queryset.filter(
                Q(prompt__icontains=text)
                | Q(run__canvas__name__icontains=text)
                | Q(run__query__icontains=text)
                | Q(step_run__step_id__icontains=text)
            )
        if wanted == "pending":  # most urgent first: due soonest, then newest
            return queryset.order_by(F("due_at").asc(nulls_last=True), "-created")
        return queryset.order_by(F("decided_at").desc(nulls_last=True), "-created")

    @extend_schema(
        parameters=INBOX_FILTERS,
        responses={
            200: ApprovalSerializer(many=True),
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_401,
        },
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={200: ApprovalDetailSerializer, 401: ERROR_401, 403: ERROR_401, 404: ERROR_404}
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def _answer(self, fn, *args, **kwargs) -> Response:
        try:
            item = fn(self.get_object(), self.request.user, *args, **kwargs)
        except Conflict as exc:
            body = {"detail": str(exc)}
            if exc.claimed_by:
                body["claimed_by"] = exc.claimed_by
            return Response(body, status=status.HTTP_409_CONFLICT)
        except NotAllowed as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        except DecisionError as exc:
            message = str(exc)
            field, _, reason = message.partition(": ")
            body = {"detail": message}
            if reason:
                body["errors"] = [{"field": field, "message": reason}]
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        # Unscoped: a reassigned item is no longer yours to see, but this answer still shows it.
        fresh = self._loaded(Approval.objects.all()).get(pk=item.pk)
        return Response(ApprovalDetailSerializer(fresh).data)

    @extend_schema(
        request=DecisionSerializer,
        responses={200: ApprovalDetailSerializer, 400: ERROR_400, **ITEM_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._answer(
            decide,
            action=data.get("action"),
            approve=data["approve"],
            response=data["response"],
            comment=data["comment"],
            edits=data["edits"],
        )

    @extend_schema(request=None, responses={200: ApprovalDetailSerializer, **ITEM_ERRORS})
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._answer(claim)

    @extend_schema(request=None, responses={200: ApprovalDetailSerializer, **ITEM_ERRORS})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._answer(release)

    @extend_schema(
        request=ReassignSerializer,
        responses={200: ApprovalDetailSerializer, 400: ERROR_400, **ITEM_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        body = ReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(reassign, body.validated_data["to"], body.validated_data["comment"])

    @extend_schema(
        responses={200: InboxCountSerializer, 401: ERROR_401, 403: ERROR_401},
    )
    @action(detail=False, methods=["get"])
    def count(self, request):
        """Pending items in your inbox (the top bar's badge)."""
        return Response({"pending": inbox_items(request.user).filter(status="pending").count()})


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
