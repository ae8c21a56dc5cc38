"""Every /api/ URL refuses anonymous requests — including endpoints added later.

The URLs come from the resolver itself, so a new endpoint is covered without touching this
file. Only the deliberately public endpoints are listed below.
"""

import re

import pytest

from tests.api import api_urls

PUBLIC = {
    "/api/auth/token/",  # obtaining a token is how you authenticate
}
PUBLIC_PREFIXES = (
    "/api/hooks/",
)  # signed webhooks authenticate by signature (docs/architecture.md)
METHODS = ["get", "post", "put", "patch", "delete"]


def test_the_walk_covers_the_canvas_endpoints():
    urls = api_urls()
    shapes = {re.sub(r"/canvases/[0-9a-f-]{36}/", "/canvases/ID/", u) for u in urls}
    for expected in [
        "/api/agents/",
        "/api/components/",
        "/api/canvases/",
        "/api/canvases/import/",
        "/api/canvases/ID/",
        "/api/canvases/ID/versions/",
        "/api/canvases/ID/versions/1/",
        "/api/canvases/ID/versions/1/restore/",
        "/api/canvases/ID/validate/",
        "/api/canvases/ID/export/",
        "/api/canvases/ID/import/",
    ]:
        assert expected in shapes
    assert any(u.startswith("/api/agents/") and u != "/api/agents/" for u in urls)


@pytest.mark.parametrize("path", api_urls())
def test_an_anonymous_request_is_refused(api_anon, path):
    if path in PUBLIC or path.startswith(PUBLIC_PREFIXES):
        pytest.skip("public by design")
    for method in METHODS:
        response = getattr(api_anon, method)(path, {}, format="json")
        assert response.status_code in (401, 403), (method, path, response.status_code)
        assert response.status_code == 401, "token auth makes DRF answer 401 with WWW-Authenticate"
        assert "WWW-Authenticate" in response.headers
