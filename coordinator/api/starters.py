"""The templates gallery over the API: GET templates/, POST templates/<slug>/use/."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas import services
from canvas.api.serializers import CanvasSerializer, ErrorSerializer
from canvas.api.views import enabled_agent_slugs
from coordinator import starters


class StarterSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    source = serializers.CharField(help_text="'reference example', or the app that ships it.")
    steps = serializers.IntegerField()
    agents = serializers.ListField(
        child=serializers.CharField(), help_text="Registry agents it names."
    )
    missing_agents = serializers.ListField(
        child=serializers.CharField(),
        help_text="Of those, the ones you may not use: pick your own on the new canvas.",
    )


class UseStarterSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=200, required=False, help_text="The new canvas's name; default the template's."
    )


class StarterCanvasSerializer(CanvasSerializer):
    missing_agents = serializers.SerializerMethodField()

    class Meta(CanvasSerializer.Meta):
        fields = [*CanvasSerializer.Meta.fields, "missing_agents"]

    def get_missing_agents(self, obj) -> list[str]:
        return self.context["missing_agents"]


class StarterListView(APIView):
    @extend_schema(
        operation_id="templates_list",
        summary="The templates gallery",
        description="The demo canvases and the reference examples, each with the registry "
        "agents it names and which of those you may not use.",
        responses={200: StarterSerializer(many=True)},
    )
    def get(self, request):
        usable = enabled_agent_slugs(request.user)
        return Response(StarterSerializer(starters.gallery(usable), many=True).data)


class StarterUseView(APIView):
    @extend_schema(
        operation_id="templates_use",
        summary="Create a canvas of yours from a template",
        description="A new canvas owned by you, its version 1 holding the template's graph. "
        "Agents you may not use stay named on their nodes (listed in `missing_agents`) and "
        "show as problems until you pick your own.",
        request=UseStarterSerializer,
        responses={
            201: StarterCanvasSerializer,
            400: OpenApiResponse(ErrorSerializer),
            404: OpenApiResponse(ErrorSerializer, description="No such template."),
        },
    )
    def post(self, request, slug):
        starter = starters.find(slug)
        if starter is None:
            raise Http404
        body = UseStarterSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        graph = starters.fresh_graph(starter)
        canvas = services.create_canvas(
            owner=request.user,
            name=body.validated_data.get("name") or starter.name,
            description=starter.description,
            graph=graph,
            message=f"Created from the template “{starter.name}”",
        )
        missing = starters.describe(starter, enabled_agent_slugs(request.user))["missing_agents"]
        data = StarterCanvasSerializer(
            canvas, context={"request": request, "missing_agents": missing}
        ).data
        return Response(data, status=status.HTTP_201_CREATED)
