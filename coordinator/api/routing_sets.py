"""Routing test sets over the API (staff only): import a bench_routing document, export
one, run a set and read its stored results."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from coordinator.models import RoutingTestRun, RoutingTestSet
from coordinator.workbench import test_sets


class ImportSerializer(serializers.Serializer):
    name = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$", max_length=100)
    document = serializers.JSONField(help_text="A bench_routing document: {agents, cases}.")
    create_missing = serializers.BooleanField(
        default=False, help_text="Create agents the registry lacks, from the document."
    )
    replace = serializers.BooleanField(default=False, help_text="Replace a set of that name.")


class TestSetSerializer(serializers.ModelSerializer):
    agents = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    cases = serializers.IntegerField(source="cases.count", read_only=True)

    class Meta:
        model = RoutingTestSet
        fields = ["name", "about", "agents", "cases", "created", "updated"]


class TestRunSerializer(serializers.ModelSerializer):
    test_set = serializers.CharField(source="test_set.name", read_only=True)

    class Meta:
        model = RoutingTestRun
        fields = [
            "id",
            "test_set",
            "model",
            "trigger",
            "agent",
            "status",
            "figures",
            "agent_confusion",
            "misses",
            "error",
            "created",
            "finished_at",
        ]


class TestSetImportView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        operation_id="routing_test_set_import",
        summary="Import a routing test set from a bench_routing document",
        request=ImportSerializer,
        responses={201: TestSetSerializer},
    )
    def post(self, request):
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            test_set = test_sets.import_set(
                data["document"], data["name"], data["create_missing"], data["replace"]
            )
        except test_sets.TestSetError as exc:
            field = exc.field if exc.field == "name" else f"document.{exc.field}"
            raise serializers.ValidationError({field: [exc.message]}) from None
        return Response(TestSetSerializer(test_set).data, status=status.HTTP_201_CREATED)


class TestSetExportView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        operation_id="routing_test_set_export",
        summary="A routing test set as a bench_routing document",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, name):
        return Response(test_sets.export_set(get_object_or_404(RoutingTestSet, name=name)))


class TestSetRunsView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        operation_id="routing_test_set_runs",
        summary="The stored runs of a routing test set, newest first",
        responses={200: TestRunSerializer(many=True)},
    )
    def get(self, request, name):
        test_set = get_object_or_404(RoutingTestSet, name=name)
        runs = test_set.runs.select_related("test_set")[:50]
        return Response(TestRunSerializer(runs, many=True).data)

    @extend_schema(
        operation_id="routing_test_set_run",
        summary="Run a routing test set now against the registry and store the result",
        request=None,
        responses={201: TestRunSerializer},
    )
    def post(self, request, name):
        test_set = get_object_or_404(RoutingTestSet, name=name)
        run = test_sets.run_set(test_set, trigger="api")
        return Response(TestRunSerializer(run).data, status=status.HTTP_201_CREATED)
