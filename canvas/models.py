"""Agents (the registry), canvases and their immutable versions."""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from canvas.agent_kinds import KINDS, validate_kind_config

slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{0,99}$", "Use lowercase letters, digits, '-' and '_'."
)


MAX_EXAMPLES = 50
MAX_EXAMPLE_CHARS = 300


def example_list_problem(value) -> str | None:
    """Why ``value`` is not a valid list of example requests, or None."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a list of strings"
    if len(value) > MAX_EXAMPLES:
        return f"at most {MAX_EXAMPLES} examples"
    for i, v in enumerate(value):
        if not v.strip():
            return f"item {i + 1} is empty"
        if len(v) > MAX_EXAMPLE_CHARS:
            return f"item {i + 1} is longer than {MAX_EXAMPLE_CHARS} characters"
    return None


class Agent(models.Model):
    """A sub-agent the Coordinator can route to. Its description is the routing signal."""

    KIND_CHOICES = [(k, k) for k in KINDS]

    slug = models.CharField(max_length=100, unique=True, validators=[slug_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(help_text="What this agent does; the Coordinator routes on it.")
    capabilities = models.JSONField(
        default=list, blank=True, help_text="Tags, e.g. ['sql', 'metrics']."
    )
    examples = models.JSONField(
        default=list,
        blank=True,
        help_text="Short requests this agent should get, one per line; routing learns from them.",
    )
    counter_examples = models.JSONField(
        default=list,
        blank=True,
        help_text="Requests that look like this agent's but belong to another one.",
    )
    kind = models.CharField(max_length=16, choices=KIND_CHOICES, default="llm")
    kind_config = models.JSONField(default=dict, blank=True)
    priority = models.IntegerField(
        default=0, help_text="Higher wins under priority_based selection."
    )
    max_concurrency = models.PositiveIntegerField(default=4, help_text="0 means unlimited.")
    fallback = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="fallback_for"
    )
    enabled = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.slug

    def clean(self):
        errors: dict[str, list[str]] = {}
        for problem in validate_kind_config(
            self.kind, self.kind_config, settings.BATON_PYTHON_AGENTS
        ):
            errors.setdefault(problem["field"].split(".")[0], []).append(
                f"{problem['field']}: {problem['message']}"
            )
        if not isinstance(self.capabilities, list) or not all(
            isinstance(c, str) for c in self.capabilities
        ):
            errors.setdefault("capabilities", []).append("must be a list of strings")
        for name in ("examples", "counter_examples"):
            problem = example_list_problem(getattr(self, name))
            if problem:
                errors.setdefault(name, []).append(problem)
        if self.fallback_id and self.fallback_id == self.pk:
            errors.setdefault("fallback", []).append("an agent cannot be its own fallback")
        if errors:
            raise ValidationError(errors)


class CanvasQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own canvases and those shared with one of their teams."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(team__in=user.groups.all())).distinct()


class Canvas(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.CharField(max_length=100, unique=True, validators=[slug_validator])
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="canvases"
    )
    team = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="canvases",
        help_text="Members of this group can see and edit the canvas.",
    )
    latest_version = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CanvasQuerySet.as_manager()

    class Meta:
        ordering = ["-updated"]
        verbose_name_plural = "canvases"

    def __str__(self):
        return self.name

    def current_version(self):
        return self.versions.filter(number=self.latest_version).first()


class CanvasVersion(models.Model):
    """An immutable snapshot of a canvas graph. Saving creates one; restoring copies one."""

    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500, blank=True, default="")
    graph = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["canvas", "number"], name="unique_canvas_version")
        ]

    def __str__(self):
        return f"{self.canvas} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("canvas versions are immutable; save a new version instead")
        super().save(*args, **kwargs)
