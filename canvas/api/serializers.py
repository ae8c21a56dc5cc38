"""Serializers for agents, canvases and canvas versions.

Graphs are checked here for *structure* only (an object with `nodes` and `edges` lists of
objects with string ids, within size limits). Whether a graph makes sense — component
types, configs, cycles, dangling edges — is `canvas.graph.validate_graph`'s job, and its
problems never stop a draft from being saved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from canvas.agent_kinds import validate_kind_config
from canvas.models import MAX_EXAMPLE_CHARS, MAX_EXAMPLES, Agent, Canvas, CanvasVersion
from coordinator.credentials import CredentialError, connection_for, secret_for
from coordinator.llm import is_local

MAX_GRAPH_NODES = 5_000
MAX_GRAPH_EDGES = 20_000
MAX_ID_LENGTH = 200
MAX_DEPTH = 64  # nesting inside one node or edge; far beyond any real config
_MAX_REPORTED = 50


def _too_deep(value: Any, limit: int) -> bool:
    """Whether lists/objects nest deeper than `limit` (iterative: safe on any input)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def graph_structure_errors(graph: Any) -> tuple[str | None, dict[str, list[str]]]:
    """(root error, {"nodes.3.id": [message]}) for a graph that is not well-formed."""
    if not isinstance(graph, dict):
        return "Must be an object with 'nodes' and 'edges' lists.", {}
    errors: dict[str, list[str]] = {}
    for key, limit in (("nodes", MAX_GRAPH_NODES), ("edges", MAX_GRAPH_EDGES)):
        items = graph.get(key)
        if not isinstance(items, list):
            errors[key] = ["Must be a list." if key in graph else "This field is required."]
            continue
        if len(items) > limit:
            errors[key] = [f"At most {limit} {key} are allowed; got {len(items)}."]
            continue
        for index, item in enumerate(items):
            if len(errors) >= _MAX_REPORTED:
                break
            if not isinstance(item, dict):
                errors[f"{key}.{index}"] = ["Must be an object."]
                continue
            if _too_deep(item, MAX_DEPTH):
                errors[f"{key}.{index}"] = [f"Nested more than {MAX_DEPTH} levels deep."]
                continue
            item_id = item.get("id")
            if not isinstance(item_id, str) or not item_id:
                errors[f"{key}.{index}.id"] = ["Must be a non-empty string."]
            elif len(item_id) > MAX_ID_LENGTH:
                errors[f"{key}.{index}.id"] = [f"At most {MAX_ID_LENGTH} characters."]
    viewport = graph.get("viewport")
    if viewport is not None and not isinstance(viewport, dict):
        errors["viewport"] = ["Must be an object."]
    for key, value in graph.items():
        nested = key not in ("nodes", "edges") and isinstance(value, dict | list)
        if nested and _too_deep(value, MAX_DEPTH):
            errors[key] = [f"Nested more than {MAX_DEPTH} levels deep."]
    return None, errors


@extend_schema_field(
    {
        "type": "object",
        "description": "React Flow graph: nodes, edges and viewport.",
        "properties": {
            "nodes": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            "edges": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            "viewport": {"type": "object", "additionalProperties": True},
        },
        "required": ["nodes", "edges"],
        "additionalProperties": True,
    }
)
class GraphField(serializers.Field):
    """A React Flow graph, checked for structure only (see module docstring)."""

    def to_internal_value(self, data):
        root, errors = graph_structure_errors(data)
        if root:
            raise serializers.ValidationError(root)
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def to_representation(self, value):
        return value


# --- errors and problems (documentation and responses) ---------------------------------


class ProblemSerializer(serializers.Serializer):
    message = serializers.CharField()
    field = serializers.CharField(allow_blank=True)
    node = serializers.CharField(required=False)
    edge = serializers.CharField(required=False)
    severity = serializers.ChoiceField(choices=["error", "warning"])


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    node = serializers.CharField(required=False)
    edge = serializers.CharField(required=False)
    severity = serializers.ChoiceField(choices=["error", "warning"], required=False)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = FieldErrorSerializer(many=True, required=False)


# --- agents ----------------------------------------------------------------------------


def agents_visible_to(user):
    """Agents the user may use (own, their teams', shared with all); staff see every agent."""
    return Agent.objects.visible_to(user)


@extend_schema_field({"type": "integer", "nullable": True})
class _AgentTeamField(serializers.PrimaryKeyRelatedField):
    """A group id: one the requesting user belongs to (staff: any group)."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Group.objects.none()
        return Group.objects.all() if request.user.is_staff else request.user.groups.all()


class AgentSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True, allow_null=True)
    capabilities = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=100, required=False
    )
    kind_config = serializers.DictField(
        required=False, help_text="Depends on kind; see docs/agents.md."
    )
    examples = serializers.ListField(
        child=serializers.CharField(max_length=MAX_EXAMPLE_CHARS),
        max_length=MAX_EXAMPLES,
        required=False,
        help_text="Short requests this agent should get; routing learns from them.",
    )
    counter_examples = serializers.ListField(
        child=serializers.CharField(max_length=MAX_EXAMPLE_CHARS),
        max_length=MAX_EXAMPLES,
        required=False,
        help_text="Requests that look like this agent's but belong to another one.",
    )
    fallback = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agent.objects.none(), allow_null=True, required=False
    )
    team = _AgentTeamField(
        allow_null=True, required=False, help_text="Id of a group whose members may use it."
    )

    class Meta:
        model = Agent
        fields = [
            "slug",
            "name",
            "description",
            "capabilities",
            "examples",
            "counter_examples",
            "kind",
            "kind_config",
            "priority",
            "max_concurrency",
            "fallback",
            "enabled",
            "owner",
            "team",
            "shared_with_all_teams",
            "created",
            "updated",
        ]
        read_only_fields = ["owner", "created", "updated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["fallback"].queryset = Agent.objects.usable_by(request.user)

    def validate_shared_with_all_teams(self, value):
        request = self.context.get("request")
        current = self.instance.shared_with_all_teams if self.instance else False
        if value != current and not (request and request.user.is_staff):
            raise serializers.ValidationError("Only staff can share an agent with every team.")
        return value

    def validate_slug(self, value):
        if self.instance is not None and value != self.instance.slug:
            raise serializers.ValidationError(
                "An agent's slug cannot change: canvases refer to agents by slug."
            )
        request = self.context.get("request")
        owner = getattr(request, "user", None)
        if self.instance is None and Agent.objects.filter(owner=owner, slug=value).exists():
            # Unique per owner: only your own agents can clash, so nothing else is revealed.
            raise serializers.ValidationError("You already have an agent with this slug.")
        return value

    def validate(self, attrs):
        instance = self.instance
        kind = attrs.get("kind", instance.kind if instance else "llm")
        config = attrs.get("kind_config", instance.kind_config if instance else {})
        errors: dict[str, list[str]] = {}
        for problem in validate_kind_config(kind, config, settings.BATON_PYTHON_AGENTS):
            errors.setdefault(problem["field"], []).append(problem["message"])
        if not errors:
            errors.update(self._credential_errors(kind, config, instance))
        fallback = attrs.get("fallback")
        if fallback is not None and instance is not None:
            seen, current = set(), fallback
            while current is not None and current.pk not in seen:
                if current.pk == instance.pk:
                    errors.setdefault("fallback", []).append(
                        "An agent cannot be its own fallback, directly or through a chain."
                    )
                    break
                seen.add(current.pk)
                current = current.fallback
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _credential_errors(self, kind, config, instance) -> dict[str, list[str]]:
        """Named secrets and connections must be ones the agent's owner may use."""
        request = self.context.get("request")
        owner = instance.owner if instance is not None else getattr(request, "user", None)
        errors: dict[str, list[str]] = {}
        try:
            if kind == "http":
                for header, name in (config.get("headers") or {}).items():
                    try:
                        secret_for(owner, name)
                    except CredentialError as exc:
                        errors.setdefault(f"kind_config.headers.{header}", []).append(str(exc))
            elif kind == "llm" and not is_local(
                config.get("model") or settings.BATON_DEFAULT_MODEL
            ):
                connection_for(
                    owner,
                    config.get("model") or settings.BATON_DEFAULT_MODEL,
                    config.get("connection"),
                )
        except CredentialError as exc:
            errors.setdefault("kind_config.connection", []).append(str(exc))
        return errors


# --- canvases --------------------------------------------------------------------------


@extend_schema_field({"type": "integer", "nullable": True})
class _TeamField(serializers.PrimaryKeyRelatedField):
    """A group id; only groups the requesting user belongs to are accepted."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return Group.objects.none()
        return request.user.groups.all()


class CanvasSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", read_only=True)
    team = _TeamField(allow_null=True, required=False, help_text="Id of a group you belong to.")

    class Meta:
        model = Canvas
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "owner",
            "team",
            "latest_version",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "slug", "owner", "latest_version", "created", "updated"]


class CanvasDetailSerializer(CanvasSerializer):
    """A canvas with its latest version's number and graph (context["version"])."""

    version = serializers.SerializerMethodField()
    graph = serializers.SerializerMethodField()

    class Meta(CanvasSerializer.Meta):
        fields = [*CanvasSerializer.Meta.fields, "version", "graph"]

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_version(self, obj) -> int | None:
        version = self.context.get("version")
        return version.number if version is not None else None

    @extend_schema_field(GraphField)
    def get_graph(self, obj) -> dict:
        version = self.context.get("version")
        if version is None:
            return {"nodes": [], "edges": []}
        return version.graph


class CanvasCreateSerializer(CanvasSerializer):
    slug = serializers.RegexField(
        r"^[a-z0-9][a-z0-9_-]{0,99}$",
        required=False,
        help_text="Generated from the name when omitted.",
        error_messages={"invalid": "Use lowercase letters, digits, '-' and '_'."},
    )
    graph = GraphField(required=False, help_text="Optional initial graph; saved as version 1.")

    class Meta(CanvasSerializer.Meta):
        fields = [*CanvasSerializer.Meta.fields, "graph"]
        read_only_fields = ["id", "owner", "latest_version", "created", "updated"]

    def validate_slug(self, value):
        # Slugs are unique per owner: only the user's own canvases can clash, so this
        # says nothing about anyone else's.
        request = self.context.get("request")
        owner = getattr(request, "user", None)
        if owner is not None and Canvas.objects.filter(owner=owner, slug=value).exists():
            raise serializers.ValidationError("You already have a canvas with this slug.")
        return value


class VersionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, allow_null=True)

    class Meta:
        model = CanvasVersion
        fields = ["number", "author", "message", "created"]
        read_only_fields = fields


class VersionDetailSerializer(VersionSerializer):
    graph = GraphField(read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "graph"]
        read_only_fields = fields


class VersionSavedSerializer(VersionSerializer):
    """A freshly created version with every problem validate_graph found (errors included)."""

    problems = ProblemSerializer(many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "problems"]
        read_only_fields = fields


class VersionCreateSerializer(serializers.Serializer):
    graph = GraphField()
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ValidateRequestSerializer(serializers.Serializer):
    graph = GraphField(required=False, help_text="Omit to validate the latest saved version.")


class ExportRequestSerializer(serializers.Serializer):
    graph = GraphField(help_text="The graph to export: the editor's current state, saved or not.")


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="True when there are no errors (warnings allowed).")
    problems = ProblemSerializer(many=True)


class ImportJsonSerializer(serializers.Serializer):
    yaml = serializers.CharField(trim_whitespace=False, help_text="Plan YAML or workflow.yaml.")
    name = serializers.CharField(
        max_length=200, required=False, help_text="Defaults to the plan's name."
    )
    team = _TeamField(allow_null=True, required=False)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A plan YAML or workflow.yaml file.")
    name = serializers.CharField(max_length=200, required=False)
    team = _TeamField(allow_null=True, required=False)


class ImportOntoSerializer(serializers.Serializer):
    yaml = serializers.CharField(trim_whitespace=False, help_text="Plan YAML or workflow.yaml.")


class ImportOntoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A plan YAML or workflow.yaml file.")


class ComponentHandleSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["source", "target"])
    role = serializers.CharField()
    label = serializers.CharField(allow_blank=True)


class ComponentSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    icon = serializers.CharField()
    schema = serializers.DictField(help_text="JSON Schema of the node's config.")
    defaults = serializers.DictField()
    handles = ComponentHandleSerializer(many=True)
