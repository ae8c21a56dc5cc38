"""/api/docs/ renders Swagger UI from Baton's own static files: with every request to an
address outside 127.0.0.1 aborted, the page still lists the API's operations."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_with_the_outside_network_blocked(page, log_in, screenshot, page_errors):
    outside: list[str] = []

    def only_loopback(route):
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    log_in(page)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .information-container .title")).to_contain_text("Baton API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    page.get_by_text("/api/canvases/{id}/export/").first.wait_for()
    screenshot(page, "api-docs-offline")
    assert outside == []  # nothing was even attempted outside
    assert page_errors == []
    icon = page.request.get("/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
