"""The editor page mounts React Flow with its minimap and controls."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_shows_the_canvas_name_and_an_empty_flow_with_minimap_and_controls(
    page, page_errors, baton_server, log_in, screenshot
):
    log_in(page, next_path=f"/canvases/{baton_server.canvas_id}/")

    expect(page.get_by_role("heading", name=baton_server.canvas_name)).to_be_visible()
    expect(page.locator(".react-flow")).to_be_visible()
    expect(page.locator(".react-flow__minimap")).to_be_visible()
    expect(page.locator(".react-flow__controls")).to_be_visible()
    expect(page.locator(".react-flow__node")).to_have_count(0)
    screenshot(page, "app-shell-editor")
    assert page_errors == []


def test_it_answers_404_for_a_canvas_that_does_not_exist(page, log_in):
    log_in(page)

    response = page.goto("/canvases/00000000-0000-0000-0000-000000000000/")

    assert response is not None and response.status == 404
