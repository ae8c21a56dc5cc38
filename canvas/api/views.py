"""REST endpoints for the agent registry, the component palette and canvases (docs/architecture.md).

Visibility is the queryset: a canvas you can't see (not yours, not your team's) is a 404
on every endpoint, never a 403. What you may do with a canvas you can see is
`CanvasPermission` (only the owner deletes it or changes its team).
"""

from __future__ import annotations

import functools
import threading

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import filters, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from canvas import services
from canvas.agent_kinds import KINDS
from canvas.api import serializers as s
from canvas.api.parsers import (
    FormParser,
    JSONParser,
    MultiPartParser,
    TextYamlParser,
    YamlParser,
)
from canvas.api.permissions import AgentPermission, CanvasPermission
from canvas.canvas_yaml import canvas_from_yaml, canvas_to_yaml
from canvas.components import component_catalogue
from canvas.errors import InvalidDocument, Problem, errors_only
from canvas.graph import compile_graph, validate_graph
from canvas.models import Agent, Canvas, CanvasVersion, ranked_for
from coordinator import sql_rows, tenancy

EMPTY_GRAPH = {"nodes": [], "edges": []}
EXPORT_FORMATS = ("yaml", "json", "graph")

ERROR_400 = OpenApiResponse(s.ErrorSerializer, description="Invalid input: every problem, located.")
ERROR_403 = OpenApiResponse(
    s.ErrorSerializer, description="Visible to you but not yours to change."
)
ERROR_404 = OpenApiResponse(s.ErrorSerializer, description="No such object visible to you.")


_CANVAS_WITH_LATEST: dict[str, tuple] = {}


def _visible_canvas_with_latest(user, pk):
    """(canvas with its owner's username, its latest version's number and graph or None), or
    None: what GET canvases/<id>/ shows, in one hand-written query (coordinator/sql_rows.py)
    instead of three ORM reads, whose building cost more CPU than the queries. The tenancy
    rule is CanvasQuerySet.visible_to's (own, or shared with one of the user's teams) as one
    flat condition."""
    if user is None or not user.is_authenticated:
        return None
    try:
        key = Canvas._meta.pk.get_db_prep_value(pk, connection)
    except (TypeError, ValueError, ValidationError):
        return None
    shape = _CANVAS_WITH_LATEST.get(connection.vendor)
    if shape is None:
        users = get_user_model()
        canvases = sql_rows.select_shape(Canvas)
        owners = sql_rows.select_shape(users, include=("id", "username"))
        versions = sql_rows.select_shape(CanvasVersion, include=("id", "number", "graph"))
        quote = connection.ops.quote_name
        canvas_t, version_t = quote(Canvas._meta.db_table), quote(CanvasVersion._meta.db_table)
        user_t = quote(users._meta.db_table)
        sql = (
            f"SELECT {canvases[0]}, {owners[0]}, {versions[0]} FROM {canvas_t}"  # noqa: S608
            f" INNER JOIN {user_t} ON {user_t}.{quote('id')} = {canvas_t}.{quote('owner_id')}"
            f" LEFT JOIN {version_t} ON {version_t}.{quote('canvas_id')} = {canvas_t}.{quote('id')}"
            f" AND {version_t}.{quote('number')} = {canvas_t}.{quote('latest_version')}"
            f" WHERE {canvas_t}.{quote('id')} = %s"
            f" AND {tenancy.visible_canvas_sql(canvas_t)}"
        )
        shape = (sql, canvases, owners, versions)
        _CANVAS_WITH_LATEST[connection.vendor] = shape
    sql, canvases, owners, versions = shape
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, user.pk, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    first, second = len(canvases[1]), len(canvases[1]) + len(owners[1])
    canvas = sql_rows.instance(Canvas, canvases, row[:first])
    canvas.owner = sql_rows.instance(get_user_model(), owners, row[first:second])
    version = None
    if canvas.latest_version and row[second] is not None:
        version = sql_rows.instance(CanvasVersion, versions, row[second:])
    return canvas, version


_per_thread = threading.local()


def _canvas_detail(canvas, context: dict) -> dict:
    """`CanvasDetailSerializer(canvas, context=context).data` from one serializer per thread:
    DRF builds a ModelSerializer's fields for every instance, which was half the CPU of a
    GET; these keep no state between calls but the context, which is set for each."""
    serializer = getattr(_per_thread, "canvas_detail", None)
    if serializer is None:
        serializer = _per_thread.canvas_detail = s.CanvasDetailSerializer()
    serializer._context = context
    try:
        return serializer.to_representation(canvas)
    finally:
        serializer._context = {}


def enabled_agent_slugs(user) -> set[str]:
    """Slugs of the enabled agents `user` may use: a graph naming any other is an error."""
    return set(Agent.objects.filter(enabled=True).usable_by(user).values_list("slug", flat=True))


def problems_of(graph, user) -> list[Problem]:
    return validate_graph(graph, known_agents=enabled_agent_slugs(user))


def unusable_agents(graph, user) -> list[Problem]:
    """Imports: every agent the document names that `user` cannot use, as errors."""
    return [
        p
        for p in problems_of(graph, user)
        if p.severity == "error" and p.field == "data.config.agent"
    ]


def invalid(exc: InvalidDocument) -> Response:
    return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)


# --- agents ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List agents",
        description="Enabled agents and your own (staff: all). Filter by kind, enabled, search.",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS)),
            OpenApiParameter("enabled", OpenApiTypes.BOOL),
        ],
    ),
    retrieve=extend_schema(
        summary="Read an agent", responses={200: s.AgentSerializer, 404: ERROR_404}
    ),
    create=extend_schema(
        summary="Register an agent", responses={201: s.AgentSerializer, 400: ERROR_400}
    ),
    update=extend_schema(
        summary="Replace an agent (owner or staff)",
        responses={200: s.AgentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
    partial_update=extend_schema(
        summary="Change an agent (owner or staff)",
        responses={200: s.AgentSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
    destroy=extend_schema(
        summary="Delete an agent (owner or staff)",
        responses={204: None, 403: ERROR_403, 404: ERROR_404},
    ),
)
class AgentViewSet(viewsets.ModelViewSet):
    """The agent registry. Everyone signed in reads it; owners and staff change their agents."""

    serializer_class = s.AgentSerializer
    permission_classes = [IsAuthenticated, AgentPermission]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    query_parameters = {"list": {"kind", "enabled"}}  # see coordinator/api/query.py
    lookup_field = "slug"
    lookup_value_regex = r"[a-z0-9][a-z0-9_-]{0,99}"
    filter_backends = [filters.SearchFilter]
    search_fields = ["slug", "name", "description"]

    def get_queryset(self):
        qs = s.agents_visible_to(self.request.user).select_related("owner", "fallback")
        if self.action != "list":
            return qs
        params = self.request.query_params
        kind = params.get("kind")
        if kind is not None:
            if kind not in KINDS:
                raise serializers.ValidationError({"kind": [f"Use one of {', '.join(KINDS)}."]})
            qs = qs.filter(kind=kind)
        enabled = params.get("enabled")
        if enabled is not None:
            value = enabled.strip().lower()
            if value in {"true", "1", "yes"}:
                qs = qs.filter(enabled=True)
            elif value in {"false", "0", "no"}:
                qs = qs.filter(enabled=False)
            else:
                raise serializers.ValidationError({"enabled": ["Use true or false."]})
        return qs

    def get_object(self):
        """Slugs are unique per owner: the one this user means (own, team's, shared)."""
        found = ranked_for(self.get_queryset().filter(slug=self.kwargs["slug"]), self.request.user)
        if not found:
            raise Http404("No such agent.")
        self.check_object_permissions(self.request, found[0])
        return found[0]

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


# --- components ------------------------------------------------------------------------


@functools.cache
def _catalogue() -> list[dict]:
    return component_catalogue()


class ComponentListView(APIView):
    """The canvas palette: each component type with its config JSON Schema and defaults."""

    @extend_schema(summary="List component types", responses=s.ComponentSerializer(many=True))
    def get(self, request):
        return Response(_catalogue())


# --- canvases --------------------------------------------------------------------------


class YamlRenderer(BaseRenderer):
    media_type = "application/yaml"
    format = "yaml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


class GraphJSONRenderer(JSONRenderer):
    """Selected by ?format=graph: the canvas's raw React Flow JSON."""

    format = "graph"


IMPORT_PARSERS = [JSONParser, MultiPartParser, FormParser, YamlParser, TextYamlParser]
NUMBER = OpenApiParameter(
    "number", OpenApiTypes.INT, OpenApiParameter.PATH, description="Version number."
)


def import_request(json_serializer, upload_serializer):
    return {
        "application/json": json_serializer,
        "multipart/form-data": upload_serializer,
        "application/yaml": OpenApiTypes.STR,
    }


@extend_schema_view(
    list=extend_schema(summary="List your canvases and your teams'"),
    create=extend_schema(
        summary="Create a canvas",
        description="With a graph, version 1 is saved too (message 'Created').",
        request=s.CanvasCreateSerializer,
        responses={201: s.CanvasDetailSerializer, 400: ERROR_400},
    ),
    retrieve=extend_schema(
        summary="Read a canvas with its latest graph",
        responses={200: s.CanvasDetailSerializer, 404: ERROR_404},
    ),
    update=extend_schema(
        summary="Replace a canvas's name, description and team",
        request=s.CanvasSerializer,
        responses={200: s.CanvasDetailSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
    partial_update=extend_schema(
        summary="Change a canvas's name, description or team",
        description="The graph changes only by saving a version. Only the owner may change the team.",
        request=s.CanvasSerializer,
        responses={200: s.CanvasDetailSerializer, 400: ERROR_400, 403: ERROR_403, 404: ERROR_404},
    ),
    destroy=extend_schema(
        summary="Delete a canvas (owner only)",
        responses={204: None, 403: ERROR_403, 404: ERROR_404},
    ),
)
class CanvasViewSet(viewsets.ModelViewSet):
    """Canvases, their immutable versions, validation, YAML import and export."""

    permission_classes = [IsAuthenticated, CanvasPermission]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    lookup_value_regex = r"[0-9a-fA-F-]{32,36}"
    filter_backends = [filters.SearchFilter]
    search_fields = ["name", "slug", "description"]
    expensive = {"import_yaml": "imports", "import_onto": "imports"}
    query_parameters = {
        "export": {"version"}
    }  # see coordinator/api/query.py  # coordinator/api/throttles.py

    def get_queryset(self):
        return Canvas.objects.visible_to(self.request.user).select_related("owner")

    def get_serializer_class(self):
        if self.action == "create":
            return s.CanvasCreateSerializer
        if self.action == "retrieve":
            return s.CanvasDetailSerializer
        return s.CanvasSerializer

    def perform_content_negotiation(self, request, force=False):
        # An unknown ?format= on export is the view's 400 (after authentication and the 404
        # check), not DRF's bare 404 from content negotiation.
        fmt = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if self.action == "export" and fmt and fmt not in EXPORT_FORMATS:
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        # Export renders YAML on success; its errors (400, 404 …) stay JSON like everywhere else.
        if self.action == "export" and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)

    # -- helpers --

    def _detail(self, canvas, status_code=status.HTTP_200_OK) -> Response:
        version = None
        if canvas.latest_version:
            version = (
                CanvasVersion.objects.filter(canvas_id=canvas.pk, number=canvas.latest_version)
                .only("number", "graph")
                .first()
            )
        data = s.CanvasDetailSerializer(
            canvas, context={**self.get_serializer_context(), "version": version}
        ).data
        return Response(data, status=status_code)

    def _saved(self, version, problems) -> Response:
        data = s.VersionSerializer(version).data
        data["problems"] = [p.as_dict() for p in problems]
        return Response(data, status=status.HTTP_201_CREATED)

    def _version(self, canvas, number, *, with_graph=True):
        qs = CanvasVersion.objects.select_related("author")
        if not with_graph:
            qs = qs.defer("graph")
        try:
            return qs.get(canvas_id=canvas.pk, number=int(number))
        except (CanvasVersion.DoesNotExist, ValueError):
            raise Http404("No such version.") from None

    def _read_yaml(self, request, json_serializer, upload_serializer) -> tuple[str | bytes, dict]:
        """The YAML document of an import request and its other validated fields."""
        if isinstance(request.data, bytes):
            return request.data, {}
        serializer_class = upload_serializer if request.FILES else json_serializer
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if "file" in fields:
            upload = fields.pop("file")
            limit = settings.BATON_YAML_MAX_BYTES
            if upload.size > limit:
                raise serializers.ValidationError(
                    {"file": [f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes."]}
                )
            return upload.read(), fields
        return fields.pop("yaml"), fields

    def _plan_from_request(self, request, json_serializer, upload_serializer):
        """The plan, its canvas graph (with the `ui:` section applied) and the other fields."""
        text, fields = self._read_yaml(request, json_serializer, upload_serializer)
        plan, graph = canvas_from_yaml(
            text,
            max_bytes=settings.BATON_YAML_MAX_BYTES,
            max_depth=settings.BATON_YAML_MAX_DEPTH,
            max_nodes=settings.BATON_YAML_MAX_NODES,
        )
        return plan, graph, fields

    # -- CRUD --

    def retrieve(self, request, *args, **kwargs):
        found = _visible_canvas_with_latest(request.user, kwargs[self.lookup_field])
        if found is None:  # not visible, or not an id: get_object answers (404) as always
            return self._detail(self.get_object())
        canvas, version = found
        self.check_object_permissions(request, canvas)
        context = {**self.get_serializer_context(), "version": version}
        return Response(_canvas_detail(canvas, context))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            canvas = services.create_canvas(
                owner=request.user,
                name=data["name"],
                slug=data.get("slug"),
                description=data.get("description", ""),
                team=data.get("team"),
                graph=data.get("graph"),
            )
        except services.SlugTaken:
            raise serializers.ValidationError(
                {"slug": ["You already have a canvas with this slug."]}
            ) from None
        return self._detail(canvas, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        canvas = self.get_object()
        if isinstance(request.data, dict) and "graph" in request.data:
            raise serializers.ValidationError(
                {"graph": ["The graph changes only by saving a version (POST versions/)."]}
            )
        serializer = self.get_serializer(canvas, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes_team = serializer.validated_data.get("team", canvas.team) != canvas.team
        if changes_team and canvas.owner_id != request.user.pk:
            raise PermissionDenied("Only the canvas's owner can change its team.")
        changes = serializer.validated_data
        for name, value in changes.items():
            setattr(canvas, name, value)
        # Only the edited columns: a full save could write back a stale latest_version that a
        # concurrent version save has just moved on.
        canvas.save(update_fields=[*changes, "updated"])
        canvas.refresh_from_db(fields=["latest_version"])
        return self._detail(canvas)

    # -- versions --

    @extend_schema(
        methods=["GET"],
        summary="List a canvas's versions (newest first, without graphs)",
        request=None,
        responses={200: s.VersionSerializer(many=True), 404: ERROR_404},
    )
    @extend_schema(
        methods=["POST"],
        summary="Save the graph as a new version",
        description=(
            "Drafts save even when the graph has validation errors: the response lists every "
            "problem (errors and warnings) from validation. The request is refused (400) only "
            "when the graph is not well-formed: not an object with `nodes` and `edges` lists of "
            "objects with non-empty string ids, or over the size limits."
        ),
        request=s.VersionCreateSerializer,
        responses={201: s.VersionSavedSerializer, 400: ERROR_400, 404: ERROR_404},
    )
    @action(detail=True, methods=["get", "post"], url_path="versions")
    def versions(self, request, pk=None):
        canvas = self.get_object()
        if request.method == "GET":
            qs = (
                CanvasVersion.objects.filter(canvas_id=canvas.pk)
                .select_related("author")
                .defer("graph")
                .order_by("-number")
            )
            page = self.paginate_queryset(qs)
            return self.get_paginated_response(s.VersionSerializer(page, many=True).data)
        serializer = s.VersionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        graph = serializer.validated_data["graph"]
        problems = problems_of(graph, request.user)
        version = services.save_version(
            canvas, graph, request.user, serializer.validated_data["message"]
        )
        return self._saved(version, problems)

    @extend_schema(
        summary="Read one version with its graph",
        parameters=[NUMBER],
        responses={200: s.VersionDetailSerializer, 404: ERROR_404},
    )
    @action(
        detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]+)", url_name="version"
    )
    def version(self, request, pk=None, number=None):
        canvas = self.get_object()
        return Response(s.VersionDetailSerializer(self._version(canvas, number)).data)

    @extend_schema(
        summary="Restore a version (saves its graph as a new version)",
        parameters=[NUMBER],
        request=None,
        responses={201: s.VersionSavedSerializer, 404: ERROR_404},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"versions/(?P<number>[0-9]+)/restore",
        url_name="version-restore",
    )
    def restore(self, request, pk=None, number=None):
        canvas = self.get_object()
        self._version(canvas, number, with_graph=False)  # 404 before any write
        version = services.restore_version(canvas, int(number), request.user)
        return self._saved(version, problems_of(version.graph, request.user))

    # -- validation, export, import --

    @extend_schema(
        summary="Validate a graph (or the latest saved version)",
        description="Every problem with node id, field and message. `valid` ignores warnings.",
        request=s.ValidateRequestSerializer,
        responses={200: s.ValidationResultSerializer, 400: ERROR_400, 404: ERROR_404},
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        canvas = self.get_object()
        serializer = s.ValidateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        graph = serializer.validated_data.get("graph")
        if graph is None:
            graph = services.latest_graph(canvas) or EMPTY_GRAPH
        problems = problems_of(graph, request.user)
        return Response(
            {"valid": not errors_only(problems), "problems": [p.as_dict() for p in problems]}
        )

    @extend_schema(
        methods=["GET"],
        summary="Export the canvas",
        description=(
            "The latest version (or ?version=N): plan YAML with a `ui:` section (node ids, "
            "labels, positions, viewport) by default, plan JSON with ?format=json, or the raw "
            "React Flow graph with ?format=graph. YAML is written even for a draft with "
            "problems, which are listed as comments at the top; plan JSON of a canvas that "
            "does not compile is a 400 listing every problem."
        ),
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(EXPORT_FORMATS)),
            OpenApiParameter("version", OpenApiTypes.INT, description="Defaults to the latest."),
        ],
        responses={
            # JSON first: schema checkers (schemathesis 3) read the first media type's schema
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/yaml"): OpenApiTypes.STR,
            (400, "application/json"): ERROR_400,
            (404, "application/json"): ERROR_404,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Export a graph of the canvas (the editor's current state) as YAML",
        description=(
            "Plan YAML with a `ui:` section for the graph sent, saved or not; its problems "
            "are listed as comments at the top. Nothing is saved."
        ),
        request=s.ExportRequestSerializer,
        responses={
            (200, "application/yaml"): OpenApiTypes.STR,
            (400, "application/json"): ERROR_400,
            (404, "application/json"): ERROR_404,
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        renderer_classes=[YamlRenderer, JSONRenderer, GraphJSONRenderer],
    )
    def export(self, request, pk=None):
        canvas = self.get_object()
        if request.method == "POST":
            serializer = s.ExportRequestSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            return self._yaml_download(canvas, serializer.validated_data["graph"], request.user)
        number = request.query_params.get("version")
        if number:
            if not number.isdigit():
                raise serializers.ValidationError({"version": ["Must be a version number."]})
            graph = self._version(canvas, number).graph
        else:
            graph = services.latest_graph(canvas) or EMPTY_GRAPH
        fmt = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if fmt and fmt not in EXPORT_FORMATS:
            raise serializers.ValidationError({"format": ["Use yaml, json or graph."]})
        fmt = request.accepted_renderer.format
        if fmt == "yaml":
            return self._yaml_download(canvas, graph, request.user)
        if fmt == "graph":
            response = Response(graph)
            filename = f"{canvas.slug}.graph.json"
        else:
            try:
                plan = compile_graph(graph, canvas.name, canvas.description)
            except InvalidDocument as exc:
                return invalid(exc)
            response = Response(plan.model_dump(mode="json", exclude_none=True))
            filename = f"{canvas.slug}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def _yaml_download(self, canvas, graph, user) -> Response:
        text = canvas_to_yaml(graph, canvas.name, canvas.description, problems_of(graph, user))
        response = Response(text, content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{canvas.slug}.yaml"'
        return response

    @extend_schema(
        operation_id="canvases_import",
        summary="Import a plan YAML or workflow.yaml as a new canvas",
        description=(
            "Send a multipart `file`, JSON `{yaml, name?, team?}`, or a raw `application/yaml` "
            "body. Creates the canvas and its version 1 in one transaction; a document that "
            "does not parse or validate is a 400 and nothing is created."
        ),
        request=import_request(s.ImportJsonSerializer, s.ImportUploadSerializer),
        responses={201: s.CanvasDetailSerializer, 400: ERROR_400},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=IMPORT_PARSERS)
    def import_yaml(self, request):
        try:
            plan, graph, fields = self._plan_from_request(
                request, s.ImportJsonSerializer, s.ImportUploadSerializer
            )
        except InvalidDocument as exc:
            return invalid(exc)
        refused = unusable_agents(graph, request.user)
        if refused:
            return invalid(InvalidDocument(refused))
        canvas = services.create_canvas(
            owner=request.user,
            name=fields.get("name") or plan.name,
            description=plan.description,
            team=fields.get("team"),
            graph=graph,
            message="Imported from YAML",
        )
        return self._detail(canvas, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="canvases_import_onto",
        summary="Import a plan YAML or workflow.yaml as a new version of this canvas",
        description=(
            "Same inputs as canvases/import/ (without name and team). The imported graph is "
            "saved as the next version with the message 'Imported from YAML'; a document that "
            "does not parse or validate is a 400 and nothing is saved."
        ),
        request=import_request(s.ImportOntoSerializer, s.ImportOntoUploadSerializer),
        responses={201: s.VersionSavedSerializer, 400: ERROR_400, 404: ERROR_404},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        url_name="import-onto",
        parser_classes=IMPORT_PARSERS,
    )
    def import_onto(self, request, pk=None):
        canvas = self.get_object()
        try:
            _plan, graph, _fields = self._plan_from_request(
                request, s.ImportOntoSerializer, s.ImportOntoUploadSerializer
            )
        except InvalidDocument as exc:
            return invalid(exc)
        refused = unusable_agents(graph, request.user)
        if refused:
            return invalid(InvalidDocument(refused))
        problems = problems_of(graph, request.user)
        version = services.save_version(canvas, graph, request.user, "Imported from YAML")
        return self._saved(version, problems)
