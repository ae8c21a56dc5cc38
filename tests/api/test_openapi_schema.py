"""/api/schema/ is generated without warnings and documents the canvas API."""

from django.core.management import call_command


def test_the_schema_generates_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    text = out.read_text()
    for path in [
        "/api/agents/{slug}/",
        "/api/components/",
        "/api/canvases/{id}/versions/{number}/restore/",
        "/api/canvases/{id}/validate/",
        "/api/canvases/{id}/export/",
        "/api/canvases/import/",
    ]:
        assert f"  {path}:" in text


def test_the_schema_is_served(api_alice):
    response = api_alice.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/canvases/{id}/versions/" in response.json()["paths"]
