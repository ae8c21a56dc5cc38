"""The canvas API's OpenAPI schema is complete and generated without a single warning."""

from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_the_canvas_api_schema_has_no_warnings_and_validates(db):
    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/", include("canvas.api.urls"))])
    with GENERATOR_STATS.silence():
        schema = generator.get_schema(request=None, public=True)
    problems = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert problems == []
    validate_schema(schema)
    assert {
        "/api/agents/",
        "/api/agents/{slug}/",
        "/api/components/",
        "/api/canvases/",
        "/api/canvases/{id}/",
        "/api/canvases/{id}/versions/",
        "/api/canvases/{id}/versions/{number}/",
        "/api/canvases/{id}/versions/{number}/restore/",
        "/api/canvases/{id}/validate/",
        "/api/canvases/{id}/export/",
        "/api/canvases/{id}/import/",
        "/api/canvases/import/",
    } <= set(schema["paths"])
    export = schema["paths"]["/api/canvases/{id}/export/"]["get"]["responses"]["200"]["content"]
    assert set(export) == {"application/yaml", "application/json"}


def test_the_schema_is_served(api_alice):
    response = api_alice.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/canvases/{id}/versions/" in response.json()["paths"]


def test_the_whole_api_schema_has_no_warnings(db):
    """Runs, approvals, route preview and everything else, not only the canvas API."""
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert problems == []
    validate_schema(schema)
    assert {
        "/api/canvases/{canvas_id}/runs/",
        "/api/runs/{id}/events/",
        "/api/approvals/{id}/decide/",
    } <= set(schema["paths"])


def test_anonymous_visitors_get_no_api_description(api_anon):
    assert api_anon.get("/api/schema/").status_code == 401
    assert api_anon.get("/api/docs/").status_code in (401, 403)
