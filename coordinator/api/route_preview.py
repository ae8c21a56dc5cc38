"""POST route/preview/: where would this query go, and why — without running anything.

The built-in offline router (coordinator.offline.router, the `baton/local` model's phases 1
and 2) scores the query against the agents' names, descriptions and capability tags, so
admins can test a description change before a real run depends on it.
"""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from canvas.api.parsers import JSONParser
from canvas.models import Agent
from coordinator.engine.steps.coordinator import agent_infos
from coordinator.offline import router
from coordinator.phases.complexity import profiles

MAX_QUERY_CHARS = 20_000
MAX_AGENTS = 200


class RoutePreviewQuerySerializer(serializers.Serializer):
    query = serializers.CharField(max_length=MAX_QUERY_CHARS, trim_whitespace=True)
    agents = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        allow_empty=False,
        max_length=MAX_AGENTS,
        help_text="Agent slugs to route between; default: every enabled agent you may use.",
    )
    strategy = serializers.ChoiceField(
        choices=list(router.STRATEGIES), default="capability_based", required=False
    )

    def validate_agents(self, value: list[str]) -> list[str]:
        slugs = list(dict.fromkeys(value))
        user = self.context["request"].user
        found = {s: a.enabled for s, a in Agent.objects.resolve_many(user, slugs).items()}
        problems = [
            f"unknown agent {slug!r}" if slug not in found else f"agent {slug!r} is disabled"
            for slug in slugs
            if not found.get(slug)
        ]
        if problems:
            raise serializers.ValidationError(problems)
        return slugs


class CandidateSerializer(serializers.Serializer):
    slug = serializers.CharField()
    score = serializers.FloatField()
    matched_terms = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField()


class RoutePreviewSerializer(serializers.Serializer):
    query = serializers.CharField()
    strategy = serializers.ChoiceField(choices=list(router.STRATEGIES))
    level = serializers.ChoiceField(choices=["LOW", "MEDIUM", "HIGH", "NONE"])
    agents = serializers.ListField(
        child=serializers.CharField(), help_text="The agents selected, in execution order."
    )
    scores = serializers.DictField(child=serializers.FloatField())
    reasons = serializers.ListField(child=serializers.CharField())
    sub_queries = serializers.ListField(child=serializers.CharField())
    candidates = CandidateSerializer(
        many=True, help_text="Every relevant agent phase 1 found, best first."
    )
    considered = serializers.ListField(
        child=serializers.CharField(), help_text="The enabled agents routed between."
    )


def preview(query: str, slugs: list[str] | None, strategy: str, user) -> dict:
    if slugs is None:
        slugs = sorted(
            set(Agent.objects.filter(enabled=True).usable_by(user).values_list("slug", flat=True))
        )
    agents = profiles(agent_infos(slugs, user))  # with live in-flight counts for load_balanced
    complexity = router.analyse_complexity(query, agents)
    decision = router.route(query, agents, strategy)
    return {
        "query": query,
        "strategy": strategy,
        "level": decision.level,
        "agents": decision.agents,
        "scores": {slug: round(score, 4) for slug, score in decision.scores.items()},
        "reasons": decision.reasons,
        "sub_queries": decision.sub_queries,
        "candidates": [
            {
                "slug": c.slug,
                "score": round(c.score, 4),
                "matched_terms": list(c.matched_terms),
                "reason": c.reason,
            }
            for c in complexity.candidates
        ],
        "considered": [a.slug for a in agents if a.enabled],
    }


class RoutePreviewView(APIView):
    expensive = {"post": "preview"}  # see coordinator/api/throttles.py
    # JSON only: a form body can repeat `strategy` or `query`, and a form field keeps only
    # the last value, so the others would be dropped without a word.
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="route_preview",
        summary="Preview how a query would be routed",
        description=(
            "Runs the built-in offline router (complexity analysis and sub-agent selection) "
            "on the query against the named agents, or every enabled agent, and returns the "
            "level, the agents it would select with their scores, the reasons and every "
            "relevant candidate. Nothing is run or stored. Use it to test agent descriptions."
        ),
        request=RoutePreviewQuerySerializer,
        responses={200: RoutePreviewSerializer},
        examples=[
            OpenApiExample(
                "A revenue question",
                request_only=True,
                value={"query": "Chart last quarter's revenue", "strategy": "capability_based"},
            )
        ],
    )
    def post(self, request):
        body = RoutePreviewQuerySerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = preview(data["query"], data.get("agents"), data["strategy"], request.user)
        return Response(RoutePreviewSerializer(result).data)
