from rest_framework import serializers

from coordinator.models import Approval, Run, RunEvent, StepRun


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
    source_trigger = serializers.UUIDField(source="source_trigger_id", read_only=True)

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
        ]


class RunDetailSerializer(RunSerializer):
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


class RunEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RunEvent
        fields = ["seq", "type", "phase", "step", "agent", "at", "data"]

    def to_representation(self, instance):
        return instance.as_message()


class InterveneSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000)


class SignalSerializer(serializers.Serializer):
    event = serializers.CharField(max_length=200)
    payload = serializers.DictField(default=dict)


class ApprovalSerializer(serializers.ModelSerializer):
    run = serializers.UUIDField(source="run_id", read_only=True)
    canvas = serializers.UUIDField(source="run.canvas_id", read_only=True)
    step = serializers.CharField(source="step_run.step_id", read_only=True)
    assignee = serializers.CharField(source="assignee_user.username", default=None, read_only=True)
    group = serializers.CharField(source="assignee_group.name", default=None, read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None, read_only=True)

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
