"""POST expressions/preview/ and GET runs/<id>/context/: expressions a user can see while
editing. Thin: the checking and evaluating is coordinator.expression_preview's."""

import json

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas.api.serializers import ErrorSerializer
from coordinator.expression_preview import preview, preview_value, run_context
from coordinator.expressions import MAX_SOURCE_CHARS
from coordinator.models import Run

#: largest JSON value previewed (characters): a step's config, not a data set
MAX_VALUE_CHARS = 100_000


class PreviewRequestSerializer(serializers.Serializer):
    expression = serializers.CharField(
        required=False,
        max_length=MAX_SOURCE_CHARS,
        trim_whitespace=False,
        allow_blank=True,
        help_text="Template text with {{ }} (mode template) or a bare condition.",
    )
    value = serializers.JSONField(
        required=False,
        help_text="Instead of `expression`: a JSON value whose strings may hold {{ }} "
        "templates (a transform's output), rendered as a run renders it.",
    )
    mode = serializers.ChoiceField(choices=["template", "condition"], default="template")
    run = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Evaluate against this run's data (a run you may see); omit to check syntax.",
    )

    step = serializers.CharField(
        required=False,
        max_length=200,
        help_text="For a step's loop `until`: the step whose output, status and iteration "
        "`step` names (its values in the run).",
    )

    def validate(self, attrs):
        if ("expression" in attrs) == ("value" in attrs):
            raise serializers.ValidationError(
                {"expression": "send exactly one of expression or value"}
            )
        if "value" in attrs:
            size = len(json.dumps(attrs["value"], default=str))
            if size > MAX_VALUE_CHARS:
                raise serializers.ValidationError(
                    {"value": f"is {size:,} characters; the limit is {MAX_VALUE_CHARS:,}"}
                )
        return attrs


class PreviewSerializer(serializers.Serializer):
    valid = serializers.BooleanField(help_text="The expression compiles.")
    error = serializers.CharField(
        allow_null=True, help_text="The syntax or evaluation error, as a run would report it."
    )
    evaluated = serializers.BooleanField()
    value = serializers.JSONField(required=False, help_text="The value (absent if truncated).")
    text = serializers.CharField(required=False, help_text="The value as shown (JSON or text).")
    truncated = serializers.BooleanField(required=False)
    truthy = serializers.BooleanField(required=False, help_text="Conditions only.")


class ExpressionPreviewView(APIView):
    """Check an expression with the server's parser and, given a run, evaluate it against
    that run's input and step outputs with the same sandboxed evaluator runs use."""

    expensive = {"post": "expressions"}  # see coordinator/api/throttles.py

    @extend_schema(
        request=PreviewRequestSerializer,
        responses={
            200: PreviewSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A field is missing or invalid."),
            404: OpenApiResponse(ErrorSerializer, description="No such run visible to you."),
        },
    )
    def post(self, request):
        body = PreviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        context = None
        if data.get("run"):
            run = get_object_or_404(Run.objects.visible_to(request.user), pk=data["run"])
            context = run_context(run)
            if data.get("step") in context["steps"]:
                last = context["steps"][data["step"]]  # as follow_up gives `until` its step
                context["step"] = {
                    "output": last["output"],
                    "status": last["status"],
                    "iteration": 1,
                }
        if "value" in data:
            return Response(preview_value(data["value"], context))
        return Response(preview(data["expression"], data["mode"], context))


class RunContextSerializer(serializers.Serializer):
    run = serializers.UUIDField()
    context = serializers.JSONField(
        help_text="{input, query, steps: {id: {output, status, error}}, run}"
    )


def run_context_response(run) -> Response:
    return Response({"run": str(run.pk), "context": run_context(run)})


__all__ = ["ExpressionPreviewView", "RunContextSerializer", "run_context_response"]
