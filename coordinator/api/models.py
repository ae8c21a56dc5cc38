"""Models and credentials over the API (docs/api.md#models).

GET models/ and POST models/test/ are staff's (the Models page): providers, connections and
secrets — whether a key is present, never the key — and one tiny call through a connection.
GET models/available/ is everyone's: the models their own connections serve, for pickers.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas.models import Connection
from coordinator.model_catalog import catalogue, model_options
from coordinator.model_probe import probe


class ProviderSerializer(serializers.Serializer):
    name = serializers.CharField()
    connections = serializers.ListField(
        child=serializers.CharField(), help_text="Connections whose patterns serve this provider."
    )
    key_in_environment = serializers.BooleanField(
        help_text="None of the variables litellm knows for it is missing on the server (true "
        "also when litellm knows none). A Secret can read one; Baton never uses them otherwise."
    )
    expected_variables = serializers.ListField(
        child=serializers.CharField(), help_text="The names of the missing variables."
    )


class SecretStatusSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    source = serializers.ChoiceField(choices=["env", "stored"])
    env_var = serializers.CharField(help_text="source=env: the variable staff chose.")
    has_value = serializers.BooleanField(help_text="Whether a value is there; never the value.")
    allowed_hosts = serializers.ListField(child=serializers.CharField())
    all_teams = serializers.BooleanField()
    teams = serializers.ListField(child=serializers.CharField())


class ConnectionStatusSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    api_base = serializers.CharField()
    model_patterns = serializers.ListField(child=serializers.CharField())
    secret = serializers.CharField(help_text="The secret's name; empty sends no key.")
    secret_has_value = serializers.BooleanField(allow_null=True)
    test_model = serializers.CharField(help_text="A concrete model to test with, if one is listed.")
    all_teams = serializers.BooleanField()
    teams = serializers.ListField(child=serializers.CharField())


class CatalogueSerializer(serializers.Serializer):
    providers = ProviderSerializer(many=True)
    connections = ConnectionStatusSerializer(many=True)
    secrets = SecretStatusSerializer(many=True)


class ModelCatalogueView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        operation_id="models_catalogue",
        summary="Providers, connections and secrets (staff)",
        description="Every provider litellm supports (its bundled list, read offline), which "
        "connections serve it and whether its usual key variable is set; every connection "
        "with its models and teams; every secret and whether it has a value. Never a key.",
        responses={200: CatalogueSerializer},
    )
    def get(self, request):
        return Response(CatalogueSerializer(catalogue()).data)


class ModelTestRequestSerializer(serializers.Serializer):
    connection = serializers.CharField(max_length=100)
    model = serializers.CharField(max_length=200)

    def validate_connection(self, value):

        connection = Connection.objects.filter(name=value).first()
        if connection is None:
            raise serializers.ValidationError(f"no connection named {value!r}")
        return connection

    def validate(self, data):
        connection, model = data["connection"], data["model"].strip()
        if not connection.serves(model):
            raise serializers.ValidationError(
                {
                    "model": f"connection {connection.name!r} does not serve {model!r} "
                    f"(its patterns: {', '.join(connection.model_patterns)})"
                }
            )
        return {"connection": connection.name, "model": model}


class ModelTestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    model = serializers.CharField()
    connection = serializers.CharField()
    latency_ms = serializers.IntegerField(allow_null=True, help_text="Time to the answer.")
    reply = serializers.CharField(required=False)
    tokens = serializers.IntegerField(required=False)
    error = serializers.CharField(required=False, help_text="The provider's error, when not ok.")
    status_code = serializers.IntegerField(required=False, allow_null=True)


class ModelTestView(APIView):
    permission_classes = [IsAdminUser]
    expensive = {"post": "model_test"}  # see coordinator/api/throttles.py

    @extend_schema(
        operation_id="models_test",
        summary="Make one tiny call through a connection (staff)",
        description="Sends a five-token request to `model` through `connection`, exactly as a "
        "run would (its key, its api_base, the outbound check) and returns the latency, or "
        "the provider's error with `ok: false`. A 400 names an unknown connection or a "
        "model it does not serve.",
        request=ModelTestRequestSerializer,
        responses={200: ModelTestResultSerializer},
        examples=[
            OpenApiExample(
                "Test a connection",
                request_only=True,
                value={"connection": "openai", "model": "openai/gpt-4o-mini"},
            )
        ],
    )
    def post(self, request):
        body = ModelTestRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = probe(request.user, data["model"], data["connection"])
        return Response(ModelTestResultSerializer(result).data)


class ModelOptionSerializer(serializers.Serializer):
    model = serializers.CharField()
    connection = serializers.CharField(help_text="The connection a run would use; empty: none.")
    source = serializers.CharField(help_text="The pattern it comes from, or 'built-in'.")


class UsableConnectionSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    model_patterns = serializers.ListField(child=serializers.CharField())


class ModelOptionsSerializer(serializers.Serializer):
    models = ModelOptionSerializer(many=True)
    connections = UsableConnectionSerializer(many=True)


class ModelOptionsView(APIView):
    @extend_schema(
        operation_id="models_available",
        summary="The models you may use",
        description="`baton/local` and the models your connections serve (a wildcard pattern "
        "such as `openai/*` lists litellm's known chat models of that provider), with the "
        "connection a run would use. Other names may still be typed: a run reaches any "
        "model one of your connections' patterns matches.",
        responses={200: ModelOptionsSerializer},
    )
    def get(self, request):
        return Response(ModelOptionsSerializer(model_options(request.user)).data)
