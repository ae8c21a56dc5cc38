import copy
import threading

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coordinator import clock
from coordinator.bounded import list_summary
from coordinator.engine.approvals import active_claimer, plan_agents
from coordinator.engine.core.results import preview
from coordinator.expressions import validate_expression
from coordinator.models import Approval, Run, StepRun
from coordinator.phases.synthesis import output_text
from coordinator.verdicts import ALLOWED


class FieldsBuiltOnce:
    """A ModelSerializer whose fields DRF builds from the model once per class, not once per
    instance (they depend on the class's Meta alone, and building them is most of the CPU of
    serializing one run). Each instance gets its own copies, as DRF gives it copies of the
    declared fields."""

    def get_fields(self):
        built = type(self).__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built_once = built
        return copy.deepcopy(built)


class TurnSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=["user", "assistant"])
    content = serializers.CharField(max_length=100_000, allow_blank=False)


class AdaptiveSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(default=True)
    max_revisions = serializers.IntegerField(min_value=0, max_value=50, default=5)
    model = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    triggers = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(max_length=2000)),
        default=list,
        max_length=20,
    )

    def validate_triggers(self, value):
        for index, trigger in enumerate(value):
            condition = trigger.get("condition")
            if not condition:
                raise serializers.ValidationError({index: {"condition": "required"}})
            problem = validate_expression(condition)
            if problem:
                raise serializers.ValidationError({index: {"condition": problem}})
        return value


class RunCreateSerializer(serializers.Serializer):
    query = serializers.CharField(max_length=20_000, allow_blank=True, default="")
    input = serializers.DictField(default=dict)
    history = TurnSerializer(many=True, required=False, max_length=500)
    conversation = serializers.UUIDField(required=False, allow_null=True)
    adaptive = AdaptiveSerializer(required=False)
    version = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if attrs.get("history") and attrs.get("conversation"):
            raise serializers.ValidationError(
                {"history": "give history or a conversation, not both"}
            )
        return attrs


class StepRunSerializer(serializers.ModelSerializer):
    duration_ms = serializers.SerializerMethodField()

    class Meta:
        model = StepRun
        fields = [
            "id",
            "step_id",
            "type",
            "parent",
            "agent",
            "attempt",
            "iteration",
            "superseded",
            "status",
            "depends_on",
            "input",
            "output",
            "error",
            "started_at",
            "finished_at",
            "duration_ms",
            "prompt_tokens",
            "completion_tokens",
            "cost_usd",
        ]

    def get_duration_ms(self, obj) -> int | None:
        if obj.started_at and obj.finished_at:
            return int((obj.finished_at - obj.started_at).total_seconds() * 1000)
        return None


class RunSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    canvas = serializers.UUIDField(source="canvas_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    source_trigger = serializers.UUIDField(
        source="source_trigger_id", read_only=True, allow_null=True
    )
    canvas_name = serializers.CharField(source="canvas.name", read_only=True)
    retried_from = serializers.UUIDField(source="retried_from_id", read_only=True, allow_null=True)
    retries = serializers.SerializerMethodField(
        help_text="Runs that retry this one from its failed step, newest first."
    )

    class Meta:
        model = Run
        fields = [
            "id",
            "canvas",
            "version",
            "conversation",
            "created_by",
            "query",
            "input",
            "status",
            "current_step",
            "complexity",
            "selection",
            "result",
            "error",
            "usage",
            "trigger",
            "source_trigger",
            "chain_depth",
            "revisions",
            "interventions",
            "created",
            "started_at",
            "finished_at",
            "deadline",
            "event_seq",
            "depth",
            "canvas_name",
            "retried_from",
            "retries",
        ]

    def get_retries(self, run) -> list[str]:
        if self.context.get("created"):
            return []  # a run this request created: nothing has retried it yet
        # prefetched by the list views (one query for the page, not one per run)
        retries = sorted(run.retries.all(), key=lambda r: r.created, reverse=True)
        return [str(r.pk) for r in retries]

    #: lists show a summary of each result (a truncation marker past BATON_LIST_RESULT_CHARS);
    #: GET runs/<id>/ shows it whole
    summarise_result = True

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.summarise_result and data.get("result") is not None:
            data["result"] = list_summary(data["result"])
        return data


_per_thread = threading.local()


def created_run_data(run) -> dict:
    """`RunSerializer(run, context={"created": True}).data` for a run this request created,
    from one serializer per thread: its fields are bound once, not deep-copied for every
    answer (the copies were most of the answer's CPU). Fields keep no state between calls."""
    serializer = getattr(_per_thread, "created_run", None)
    if serializer is None:
        serializer = _per_thread.created_run = RunSerializer(context={"created": True})
    return serializer.to_representation(run)


class RunDetailSerializer(RunSerializer):
    summarise_result = False
    steps = serializers.SerializerMethodField()
    phases = serializers.SerializerMethodField()
    plan = serializers.JSONField(read_only=True)

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "plan", "phases", "steps"]

    def get_steps(self, obj) -> list[dict]:
        return StepRunSerializer(obj.steps.order_by("id"), many=True).data

    def get_phases(self, obj) -> dict:
        """Each coordinator step's phases with their timing and recorded decision."""
        return {
            s.step_id: (s.output or {}).get("phases", {})
            for s in obj.steps.filter(type="coordinator", superseded=False)
        }


class RunEventSerializer(serializers.Serializer):
    """One stored event, as the websocket sends it (RunEvent.as_message)."""

    seq = serializers.IntegerField()
    run = serializers.UUIDField()
    type = serializers.CharField()
    phase = serializers.CharField(allow_null=True)
    step = serializers.CharField(allow_null=True)
    agent = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()
    data = serializers.JSONField()

    def to_representation(self, instance):
        return instance.as_message()


class RunEventsPageSerializer(serializers.Serializer):
    """GET runs/<id>/events/: one page of stored events (documents the response)."""

    run = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Run._meta.get_field("status").choices)
    last_seq = serializers.IntegerField()
    more = serializers.BooleanField()
    events = RunEventSerializer(many=True)


class RunResultDownloadSerializer(serializers.Serializer):
    """GET runs/<id>/result/?format=json (documents the download)."""

    run = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Run._meta.get_field("status").choices)
    query = serializers.CharField()
    result = serializers.JSONField(allow_null=True)
    usage = serializers.JSONField()


class InterveneSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)


class SignalSerializer(serializers.Serializer):
    event = serializers.CharField(max_length=200)
    payload = serializers.DictField(default=dict)


class ApprovalSerializer(serializers.ModelSerializer):
    """An inbox item as listed. Expects `run__canvas`, `run__created_by`, `step_run`, the
    assignees and `entries` loaded (see ApprovalViewSet.get_queryset)."""

    run = serializers.UUIDField(source="run_id", read_only=True)
    canvas = serializers.UUIDField(source="run.canvas_id", read_only=True)
    canvas_name = serializers.CharField(source="run.canvas.name", read_only=True)
    run_query = serializers.CharField(source="run.query", read_only=True)
    run_status = serializers.CharField(source="run.status", read_only=True)
    asked_by = serializers.CharField(source="run.created_by.username", default=None, read_only=True)
    step = serializers.CharField(source="step_run.step_id", read_only=True)
    step_name = serializers.SerializerMethodField()
    assignee = serializers.CharField(
        source="assignee_user.username", default=None, read_only=True, allow_null=True
    )
    group = serializers.CharField(
        source="assignee_group.name", default=None, read_only=True, allow_null=True
    )
    approvals = serializers.SerializerMethodField()
    claimed_by = serializers.SerializerMethodField()
    claimed_until = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    decided_by = serializers.CharField(
        source="decided_by.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Approval
        fields = [
            "id",
            "run",
            "canvas",
            "canvas_name",
            "run_query",
            "run_status",
            "asked_by",
            "step",
            "step_name",
            "kind",
            "prompt",
            "form",
            "assignee",
            "group",
            "required_approvals",
            "approvals",
            "claimed_by",
            "claimed_until",
            "status",
            "default_action",
            "due_at",
            "overdue",
            "actions",
            "decided_by",
            "response",
            "edits",
            "comment",
            "created",
            "decided_at",
        ]

    def get_step_name(self, item) -> str:
        return item.step_run.spec.get("name") or item.step_run.step_id

    def get_approvals(self, item) -> list[str]:
        return [
            e.actor.username
            for e in item.entries.all()
            if e.action == "approved" and e.data.get("vote") and e.actor
        ]

    def get_claimed_by(self, item) -> str | None:
        holder = active_claimer(item)
        return holder.username if holder else None

    def get_claimed_until(self, item) -> str | None:
        return item.claimed_until.isoformat() if active_claimer(item) else None

    def get_overdue(self, item) -> bool:
        return bool(item.status == "pending" and item.due_at and item.due_at <= clock.now())

    def get_actions(self, item) -> list[str]:
        if item.status != "pending":
            return []
        allowed = ALLOWED[item.kind]
        if item.required_approvals > 1:
            allowed = tuple(a for a in allowed if a not in ("edit", "respond"))
        return list(allowed)


class ApprovalEntrySerializer(serializers.Serializer):
    action = serializers.CharField()
    by = serializers.CharField(source="actor.username", default=None)
    comment = serializers.CharField()
    data = serializers.DictField()
    at = serializers.DateTimeField()


class StepOutputSerializer(serializers.Serializer):
    step = serializers.CharField()
    name = serializers.CharField()
    agent = serializers.CharField()
    status = serializers.CharField()
    text = serializers.CharField(help_text="The output as text (Markdown).")
    output = serializers.JSONField(allow_null=True)
    reviewed = serializers.BooleanField(
        help_text="An approval reviews it; its fields are editable."
    )


class ApprovalDetailSerializer(ApprovalSerializer):
    """One item with what a reviewer needs to decide: the agents' work so far, the plan
    (plan reviews), the escalated step, and the item's history."""

    outputs = serializers.SerializerMethodField()
    plan = serializers.SerializerMethodField()
    plan_agents = serializers.SerializerMethodField()
    escalated_step = serializers.SerializerMethodField()
    history = ApprovalEntrySerializer(source="entries", many=True, read_only=True)

    class Meta(ApprovalSerializer.Meta):
        fields = [
            *ApprovalSerializer.Meta.fields,
            "outputs",
            "plan",
            "plan_agents",
            "escalated_step",
            "history",
        ]

    @extend_schema_field(StepOutputSerializer(many=True))
    def get_outputs(self, item) -> list[dict]:
        reviewed = set(item.step_run.depends_on or []) if item.kind == "approval" else set()
        rows = StepRun.objects.filter(
            run_id=item.run_id, superseded=False, status="succeeded"
        ).exclude(type__in=["human_approval", "human_input"])
        return [
            {
                "step": r.step_id,
                "name": r.spec.get("name") or r.step_id,
                "agent": r.agent,
                "status": r.status,
                "text": _output_text(r.output),
                "output": r.output if r.step_id in reviewed else None,
                "reviewed": r.step_id in reviewed,
            }
            for r in rows.order_by("finished_at", "id")
            if r.type != "coordinator" or preview(r.output)
        ]

    def get_plan(self, item) -> dict | None:
        if item.kind != "plan_review":
            return None
        return (item.step_run.output or {}).get("plan")

    def get_plan_agents(self, item) -> list[str]:
        return plan_agents(item.step_run) if item.kind == "plan_review" else []

    def get_escalated_step(self, item) -> dict | None:
        if item.kind != "escalation":
            return None
        spec = item.step_run.spec
        return {
            "id": item.step_run.step_id,
            "type": spec.get("type"),
            "agent": spec.get("agent"),
            "query": spec.get("query"),
            "error": _last_error(item.step_run),
        }


def _output_text(output) -> str:
    return output_text(output)[:20_000]


def _last_error(row: StepRun) -> str:
    previous = (
        StepRun.objects.filter(run_id=row.run_id, step_id=row.step_id, attempt__lt=row.attempt)
        .order_by("-attempt")
        .values_list("error", flat=True)
        .first()
    )
    return previous or ""


class DecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["approve", "reject", "edit", "respond"],
        required=False,
        help_text="approve | reject (needs a comment) | edit (approve with `edits`) | respond "
        "(input items: `response`; others: `comment` is an instruction the run follows). "
        "Escalations: approve retries, edit retries the edited step, reject aborts.",
    )
    approve = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Older form of action."
    )
    response = serializers.DictField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")
    edits = serializers.JSONField(
        required=False,
        default=None,
        help_text="approval: {step id: {field: value}} of the reviewed outputs; plan review: "
        "{plan: {stages: [...]}}; escalation: {agent, query}.",
    )


class ReassignSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=500, help_text="A username or group:NAME.")
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")


class InboxCountSerializer(serializers.Serializer):
    pending = serializers.IntegerField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    claimed_by = serializers.CharField(required=False, help_text="Who holds the claim.")
