"""POST /api/plans/generate/: a validated plan draft for a goal, why each step is there and
how long it should take; with `create_canvas`, also a new canvas holding it, laid out."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas import services
from canvas.api.serializers import ErrorSerializer
from canvas.graph import plan_to_graph
from canvas.plan import Plan
from coordinator.goal_plans.service import GenerationError, generate


class ConstraintsSerializer(serializers.Serializer):
    require_human_approval = serializers.BooleanField(default=False)
    max_steps = serializers.IntegerField(min_value=1, max_value=50, default=10)
    available_agents = serializers.ListField(
        child=serializers.RegexField(r"^[a-z0-9][a-z0-9_-]{0,99}$"),
        required=False,
        allow_empty=False,
        max_length=200,
    )
    deadline_minutes = serializers.FloatField(min_value=0.1, max_value=7 * 24 * 60, required=False)


class GenerateSerializer(serializers.Serializer):
    goal = serializers.CharField(min_length=3, max_length=4000)
    constraints = ConstraintsSerializer(required=False)
    model = serializers.CharField(max_length=200, required=False, allow_blank=True)
    create_canvas = serializers.BooleanField(default=False)
    name = serializers.CharField(max_length=200, required=False)


class GeneratePlanView(APIView):
    @extend_schema(
        request=GenerateSerializer,
        responses={
            200: OpenApiTypes.OBJECT,
            201: OpenApiTypes.OBJECT,
            422: OpenApiResponse(ErrorSerializer, description="No valid plan for this goal."),
            502: OpenApiResponse(ErrorSerializer, description="The model gave no valid plan."),
        },
    )
    def post(self, request):
        body = GenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        constraints = data.get("constraints") or {}
        try:
            result = generate(
                data["goal"],
                user=request.user,
                require_human_approval=constraints.get("require_human_approval", False),
                max_steps=constraints.get("max_steps", 10),
                available_agents=constraints.get("available_agents"),
                deadline_minutes=constraints.get("deadline_minutes"),
                model=data.get("model") or None,
            )
        except GenerationError as exc:
            errors = [{"field": exc.field, "message": exc.message}]
            errors += [{"field": "plan", "message": p} for p in exc.problems]
            return Response({"detail": exc.message, "errors": errors}, status=exc.status)
        if data["create_canvas"]:
            plan = Plan.model_validate(result["plan"])
            canvas = services.create_canvas(
                owner=request.user,
                name=data.get("name") or plan.name,
                description=plan.description[:5000],
                graph=plan_to_graph(plan),
                message="Generated from a goal",
            )
            result["canvas"] = {"id": str(canvas.pk), "slug": canvas.slug, "name": canvas.name}
            return Response(result, status=status.HTTP_201_CREATED)
        return Response(result)
