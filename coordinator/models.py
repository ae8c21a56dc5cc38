"""Runs and everything they leave behind. The database is the source of truth (docs/architecture.md)."""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models

from canvas.models import Canvas, CanvasVersion


class Conversation(models.Model):
    """Turns shared by the runs of one chat, so follow-up questions carry history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="conversations")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]

    def __str__(self):
        return self.title or f"conversation {self.pk}"

    def history(self) -> list[dict]:
        return [
            {"role": t.role, "content": t.content} for t in self.turns.order_by("created", "id")
        ]


class Turn(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    run = models.ForeignKey(
        "Run", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=16, choices=[("user", "user"), ("assistant", "assistant")])
    content = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.role}: {self.content[:60]}"


class RunStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"
    PAUSED = "paused"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"


RUN_ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.WAITING)
RUN_TERMINAL = (RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.TIMED_OUT)


class RunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Runs of canvases `user` may see: the one rule for every API, page, socket and CLI."""
        return self.filter(canvas__in=Canvas.objects.visible_to(user).values("pk"))


class Run(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(
        CanvasVersion, null=True, on_delete=models.SET_NULL, related_name="runs"
    )
    plan = models.JSONField(help_text="The compiled plan this run executes (pinned).")
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="runs"
    )
    query = models.TextField(blank=True, default="")
    input = models.JSONField(default=dict, blank=True)
    history = models.JSONField(
        default=list, blank=True, help_text="Conversation turns before this run."
    )
    interventions = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    current_step = models.CharField(max_length=200, blank=True, default="")
    complexity = models.JSONField(null=True, blank=True)
    selection = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    usage = models.JSONField(default=dict, blank=True)
    adaptive = models.JSONField(null=True, blank=True)
    revisions = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=32, default="manual")
    parent_step = models.ForeignKey(
        "StepRun", null=True, blank=True, on_delete=models.CASCADE, related_name="child_runs"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    source_trigger = models.ForeignKey(
        "triggers.Trigger",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
        help_text="The trigger that started this run (none for manual and API runs).",
    )
    chain_depth = models.PositiveSmallIntegerField(
        default=0, help_text="Runs of other canvases whose end started this one, in a row."
    )
    retried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="retries",
        help_text="The failed run this one retries from its failed step (coordinator/retry.py).",
    )
    event_seq = models.PositiveIntegerField(default=0, help_text="Last RunEvent seq issued.")
    created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["canvas", "-created"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"run {self.id} ({self.status})"


class StepStatus(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    WAITING = "waiting"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


STEP_DONE = (StepStatus.SUCCEEDED, StepStatus.SKIPPED)
STEP_TERMINAL = (StepStatus.SUCCEEDED, StepStatus.FAILED, StepStatus.SKIPPED, StepStatus.CANCELLED)


class StepRun(models.Model):
    """One attempt of one step. Retries and loop iterations add rows; older ones are superseded."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="steps")
    step_id = models.CharField(max_length=200)
    attempt = models.PositiveIntegerField(default=1)
    iteration = models.PositiveIntegerField(default=1)
    superseded = models.BooleanField(default=False)
    type = models.CharField(max_length=32)
    parent = models.CharField(max_length=200, blank=True, default="", help_text="Owning step id.")
    spec = models.JSONField(help_text="The step definition (plan step or generated sub-step).")
    engine_state = models.JSONField(
        default=dict,
        blank=True,
        help_text="The engine's own bookkeeping for this attempt (engine/core/state.py), "
        "apart from the spec: fallbacks used, escalation, pipeline stages still to come.",
    )
    depends_on = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=StepStatus.choices, default=StepStatus.PENDING)
    input = models.JSONField(null=True, blank=True)
    output = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    agent = models.CharField(max_length=100, blank=True, default="")
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last time the executing worker renewed its claim."
    )
    resume_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.FloatField(default=0.0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "step_id", "attempt"], name="unique_step_attempt"
            )
        ]
        indexes = [
            models.Index(fields=["run", "superseded", "status"]),
            models.Index(fields=["status", "claimed_until"]),
            models.Index(fields=["agent", "status"]),
        ]

    def __str__(self):
        return f"{self.step_id}#{self.attempt} ({self.status})"


class StepOutbox(models.Model):
    """An agent's result, written the moment the agent returns and before the step is
    recorded: a worker that dies in between leaves it here, and the step's next execution
    records it instead of calling the agent again."""

    step_run = models.OneToOneField(
        StepRun, on_delete=models.CASCADE, primary_key=True, related_name="outbox"
    )
    output = models.JSONField(null=True, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.FloatField(default=0.0)
    written_at = models.DateTimeField()

    def __str__(self):
        return f"outbox of step run {self.step_run_id}"


class RunEvent(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    phase = models.CharField(max_length=40, blank=True, default="")
    step = models.CharField(max_length=200, blank=True, default="")
    agent = models.CharField(max_length=100, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="unique_event_seq")]

    def __str__(self):
        return f"{self.run_id}#{self.seq} {self.type}"

    def as_message(self) -> dict:
        return {
            "seq": self.seq,
            "run": str(self.run_id),
            "type": self.type,
            "phase": self.phase or None,
            "step": self.step or None,
            "agent": self.agent or None,
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "data": self.data,
        }


class Approval(models.Model):
    """An inbox item: a run waiting for a person to approve, answer a form, review a plan or
    settle an escalation. Its history (claims, votes, edits, decisions) is in ApprovalEntry."""

    KIND_CHOICES = [
        ("approval", "approval"),
        ("input", "input"),
        ("plan_review", "plan review"),
        ("escalation", "escalation"),
    ]
    STATUS_CHOICES = [
        ("pending", "pending"),
        ("approved", "approved"),
        ("rejected", "rejected"),
        ("answered", "answered"),
        ("responded", "responded"),
        ("expired", "expired"),
        ("cancelled", "cancelled"),
    ]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="approvals")
    step_run = models.OneToOneField(StepRun, on_delete=models.CASCADE, related_name="approval")
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    prompt = models.TextField()
    form = models.JSONField(null=True, blank=True)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    required_approvals = models.PositiveSmallIntegerField(
        default=1, help_text="Distinct approvals from the group before the step resumes."
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default="pending")
    default_action = models.CharField(max_length=16, default="fail")
    due_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.JSONField(null=True, blank=True)
    edits = models.JSONField(null=True, blank=True, help_text="What the decider changed.")
    comment = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["status", "-created"]),
        ]

    def __str__(self):
        return f"{self.kind} for {self.step_run_id} ({self.status})"


class RoutingTestSet(models.Model):
    """Labelled routing cases run against the live agent registry (the admin's regression
    suite for descriptions). ``agents`` is the pool routed between; a case's expected
    agents come from it. Importable from / exportable to the bench_routing JSON format."""

    name = models.CharField(
        max_length=100,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", "Letters, digits, '.', '-', '_'.")
        ],
    )
    about = models.TextField(blank=True, default="")
    agents = models.ManyToManyField(
        "canvas.Agent", related_name="routing_test_sets", help_text="The agents routed between."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoutingCase(models.Model):
    LEVELS = [(v, v) for v in ("LOW", "MEDIUM", "HIGH", "NONE")]

    test_set = models.ForeignKey(RoutingTestSet, on_delete=models.CASCADE, related_name="cases")
    query = models.TextField()
    level = models.CharField(max_length=8, choices=LEVELS)
    expected_agents = models.JSONField(
        default=list, blank=True, help_text="Slugs, in execution order; empty = no suitable agent."
    )

    class Meta:
        ordering = ["test_set", "id"]

    def __str__(self):
        return self.query[:80]

    def clean(self):
        from django.core.exceptions import ValidationError

        expected = self.expected_agents
        if not isinstance(expected, list) or not all(isinstance(s, str) for s in expected):
            raise ValidationError({"expected_agents": "must be a list of agent slugs"})
        if expected and self.level == "NONE":
            raise ValidationError({"level": "NONE means no agent: leave expected agents empty"})
        if not expected and self.level != "NONE":
            raise ValidationError({"level": "no expected agents means the level is NONE"})


class RoutingTestRun(models.Model):
    """One run of a test set: the four accuracies, a per-agent confusion table, each miss
    with the router's reasons, and every case's outcome (to list what changed)."""

    STATUSES = [(v, v) for v in ("running", "done", "failed")]

    test_set = models.ForeignKey(RoutingTestSet, on_delete=models.CASCADE, related_name="runs")
    model = models.CharField(max_length=100, default="baton/local")
    trigger = models.CharField(max_length=32, default="manual")
    agent = models.CharField(
        max_length=100, blank=True, default="", help_text="The agent whose save triggered it."
    )
    status = models.CharField(max_length=16, choices=STATUSES, default="running")
    figures = models.JSONField(default=dict, blank=True)
    agent_confusion = models.JSONField(default=dict, blank=True)
    misses = models.JSONField(default=list, blank=True)
    outcomes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.test_set} run {self.pk} ({self.status})"


class ApprovalEntry(models.Model):
    """One line of an inbox item's history and audit trail."""

    ACTIONS = [
        (a, a)
        for a in (
            "requested",
            "claimed",
            "released",
            "reassigned",
            "approved",
            "rejected",
            "edited",
            "responded",
            "answered",
            "expired",
        )
    ]

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="entries")
    action = models.CharField(max_length=16, choices=ACTIONS)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action} by {self.actor_id} on {self.approval_id}"
