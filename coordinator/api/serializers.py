from rest_framework import serializers

from coordinator.bounded import list_summary
from coordinator.models import Approval, Run, StepRun


class TurnSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=["user", "assistant"])
    content = serializers.CharField(max_length=100_000, allow_blank=False)


class AdaptiveSerializer(serializers.Serializer):
    enabled = serializers.BooleanField(default=True)
    max_revisions = serializers.IntegerField(min_value=0, max_value=50, default=5)
    triggers = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(max_length=2000)),
        default=list,
        max_length=20,
    )

    def validate_triggers(self, value):
        from coordinator.expressions import validate_expression

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


class RunSerializer(serializers.ModelSerializer):
    canvas = serializers.UUIDField(source="canvas_id", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

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
            "revisions",
            "interventions",
            "created",
            "started_at",
            "finished_at",
            "deadline",
            "event_seq",
            "depth",
        ]

    #: lists show a summary of each result (a truncation marker past BATON_LIST_RESULT_CHARS);
    #: GET runs/<id>/ shows it whole
    summarise_result = True

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.summarise_result and data.get("result") is not None:
            data["result"] = list_summary(data["result"])
        return data


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
    run = serializers.UUIDField(source="run_id", read_only=True)
    canvas = serializers.UUIDField(source="run.canvas_id", read_only=True)
    step = serializers.CharField(source="step_run.step_id", read_only=True)
    assignee = serializers.CharField(
        source="assignee_user.username", default=None, read_only=True, allow_null=True
    )
    group = serializers.CharField(
        source="assignee_group.name", default=None, read_only=True, allow_null=True
    )
    decided_by = serializers.CharField(
        source="decided_by.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Approval
        fields = [
            "id",
            "run",
            "canvas",
            "step",
            "kind",
            "prompt",
            "form",
            "assignee",
            "group",
            "status",
            "default_action",
            "due_at",
            "decided_by",
            "response",
            "comment",
            "created",
            "decided_at",
        ]


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(required=False, allow_null=True, default=None)
    response = serializers.DictField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(max_length=5000, allow_blank=True, default="")
