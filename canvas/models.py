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


def ranked_for(candidates, user) -> list:
    """Own objects first, then the user's teams', then shared with everyone; oldest first in
    each tier, so a newcomer can never take over a slug someone already relies on."""
    candidates = list(candidates)
    slugs = [obj.slug for obj in candidates]
    if len(set(slugs)) == len(slugs):  # each slug names one: no need to read the user's teams
        return candidates
    teams = set(user.groups.values_list("pk", flat=True)) if user.is_authenticated else set()

    def tier(obj) -> int:
        if obj.owner_id is not None and obj.owner_id == user.pk:
            return 0
        if obj.team_id is not None and obj.team_id in teams:
            return 1
        return 2

    return sorted(candidates, key=lambda obj: (tier(obj), obj.created, str(obj.pk)))


class AgentQuerySet(models.QuerySet):
    def usable_by(self, user):
        """Agents a user's runs may call: their own, their teams', and those staff shared with
        every team. Staff are no exception: another user's private agent is never picked."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(owner=user) | Q(team__in=user.groups.all()) | Q(shared_with_all_teams=True)
        ).distinct()

    def visible_to(self, user):
        """What the registry API shows: usable agents; staff see every agent."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self.all()
        return self.usable_by(user)

    def resolve(self, user, slug: str):
        """The agent `slug` names for `user` (see ranked_for), or None."""
        found = ranked_for(self.usable_by(user).filter(slug=slug), user)
        return found[0] if found else None

    def resolve_many(self, user, slugs) -> dict:
        """{slug: agent} for the slugs `user` can resolve (one query, none for no slugs)."""
        by_slug: dict = {}
        if not slugs:
            return by_slug
        for agent in ranked_for(self.usable_by(user).filter(slug__in=list(slugs)), user):
            by_slug.setdefault(agent.slug, agent)
        return by_slug


class Agent(models.Model):
    """A sub-agent the Coordinator can route to. Its description is the routing signal.

    Tenancy works like canvases: an agent belongs to its owner (unique slug per owner), is
    usable by the members of its team, and only staff can share it with every team."""

    KIND_CHOICES = [(k, k) for k in KINDS]

    slug = models.CharField(max_length=100, validators=[slug_validator])
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
    team = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
        help_text="Members of this group can use the agent in their canvases.",
    )
    shared_with_all_teams = models.BooleanField(
        default=False, help_text="Every signed-in user may use this agent (staff only)."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AgentQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "slug"],
                condition=Q(owner__isnull=False),
                name="agent_slug_unique_per_owner",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(owner__isnull=True),
                name="agent_slug_unique_without_owner",
            ),
        ]

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
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(Q(owner=user) | Q(team__in=user.groups.all())).distinct()

    def resolve(self, user, slug: str):
        """The canvas `slug` names for `user` (own first, then their teams'), or None."""
        found = ranked_for(self.visible_to(user).filter(slug=slug), user)
        return found[0] if found else None


class Canvas(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    slug = models.CharField(max_length=100, validators=[slug_validator])
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
        constraints = [
            # Per owner, so choosing a slug never reveals another user's canvas.
            models.UniqueConstraint(fields=["owner", "slug"], name="canvas_slug_unique_per_owner")
        ]

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


secret_name_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{0,99}$", "Use lowercase letters, digits, '-' and '_'."
)


class GrantedQuerySet(models.QuerySet):
    def usable_by(self, user):
        """Granted to one of the user's teams or to all teams; staff may use every one."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(Q(all_teams=True) | Q(teams__in=user.groups.all())).distinct()


class Secret(models.Model):
    """A credential staff manage; agents name it, never see it.

    The value comes from the environment variable staff chose, or is stored encrypted with
    the key in BATON_SECRETS_KEY. Only staff ever type either."""

    SOURCE_CHOICES = [("env", "environment variable"), ("stored", "stored encrypted")]

    name = models.CharField(max_length=100, unique=True, validators=[secret_name_validator])
    description = models.CharField(max_length=500, blank=True, default="")
    source = models.CharField(max_length=8, choices=SOURCE_CHOICES, default="env")
    env_var = models.CharField(
        max_length=128,
        blank=True,
        default="",
        validators=[
            RegexValidator(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$", "An environment variable name.")
        ],
        help_text="source=env: the variable holding the value.",
    )
    encrypted_value = models.TextField(blank=True, default="", editable=False)
    allowed_hosts = models.JSONField(
        default=list,
        blank=True,
        help_text="Host names an http agent may send this secret to (empty: none; "
        "connections use their own api_base).",
    )
    teams = models.ManyToManyField(Group, blank=True, related_name="secrets")
    all_teams = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = GrantedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.source == "env" and not self.env_var:
            raise ValidationError({"env_var": "name the environment variable holding the value"})
        if not isinstance(self.allowed_hosts, list) or not all(
            isinstance(h, str) and h for h in self.allowed_hosts
        ):
            raise ValidationError({"allowed_hosts": "must be a list of host names"})


class Connection(models.Model):
    """A staff-managed way to reach models: which models, where (api_base), with what key."""

    name = models.CharField(max_length=100, unique=True, validators=[secret_name_validator])
    description = models.CharField(max_length=500, blank=True, default="")
    model_patterns = models.JSONField(
        default=list,
        help_text="litellm model names or shell patterns this connection serves, "
        "e.g. ['openai/gpt-4o-mini', 'openai/*'].",
    )
    api_base = models.URLField(
        max_length=500, help_text="Where requests go; checked like every outbound address."
    )
    secret = models.ForeignKey(
        Secret,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="connections",
        help_text="The API key; empty sends none.",
    )
    teams = models.ManyToManyField(Group, blank=True, related_name="connections")
    all_teams = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = GrantedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def serves(self, model: str) -> bool:
        from fnmatch import fnmatchcase

        return any(fnmatchcase(model, pattern) for pattern in self.model_patterns or [])

    def clean(self):
        patterns = self.model_patterns
        if (
            not isinstance(patterns, list)
            or not patterns
            or not all(isinstance(m, str) and m.strip() for m in patterns)
        ):
            raise ValidationError({"model_patterns": "list at least one model name or pattern"})
