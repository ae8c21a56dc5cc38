"""POST canvases/<id>/test-step/: run one node with sample input (coordinator.single_step).
Thin: parsing and error shapes here; the run is an ordinary run of the engine."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas.api.serializers import ErrorSerializer
from canvas.errors import InvalidDocument
from canvas.models import Canvas
from coordinator.api.serializers import RunSerializer
from coordinator.run_input import InvalidRunInput
from coordinator.single_step import InvalidStepTest, start_step_test


class StepTestRequestSerializer(serializers.Serializer):
    node = serializers.CharField(max_length=200, help_text="Id of the node to test.")
    sample = serializers.JSONField(
        help_text='What the step sees: {"query": "...", "input": {...}, "steps": {"<id>": output}}.'
    )
    graph = serializers.JSONField(
        required=False,
        help_text="The editor's current graph (default: the canvas's latest saved version).",
    )


class StepTestView(APIView):
    """Start a test run of one sub-agent, coordinator, transform or condition node (202). It runs through the
    engine like any step and is listed only with `?include_tests=true`."""

    expensive = {"post": "runs"}  # see coordinator/api/throttles.py

    @extend_schema(
        request=StepTestRequestSerializer,
        responses={
            202: RunSerializer,
            400: OpenApiResponse(ErrorSerializer, description="The field named is invalid."),
            404: OpenApiResponse(ErrorSerializer, description="No such canvas visible to you."),
        },
    )
    def post(self, request, canvas_id):
        canvas = get_object_or_404(Canvas.objects.visible_to(request.user), pk=canvas_id)
        body = StepTestRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        graph = data.get("graph")
        if graph is None:
            version = canvas.current_version()
            if version is None:
                return _bad("The canvas has no saved version.", "graph", "send the graph to test")
            graph = version.graph
        try:
            run = start_step_test(canvas, request.user, graph, data["node"], data["sample"])
        except InvalidStepTest as exc:
            return _bad("Invalid step test.", errors=exc.errors)
        except InvalidDocument as exc:
            return _bad("The node cannot run.", errors=[p.as_dict() for p in exc.problems])
        except InvalidRunInput as exc:
            errors = [{**e, "field": f"sample.{e['field']}"} for e in exc.errors]
            return _bad("Invalid sample input.", errors=errors)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


def _bad(detail: str, field: str = "", message: str = "", errors: list | None = None):
    errors = errors if errors is not None else [{"field": field, "message": message}]
    return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
