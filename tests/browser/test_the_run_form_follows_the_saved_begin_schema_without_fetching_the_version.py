"""The run panel's input form comes from the Begin node's input schema of the saved version,
which the editor already holds (the canvas it loaded, the graph it saved): opening a canvas
fetches no version graph a second time, an unsaved schema edit leaves the form as runs will
see it, and saving it puts the new field in the form at once."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    create_canvas_via_api,
    select_node,
    unique,
)

pytestmark = pytest.mark.browser

GRAPH = {
    "nodes": [
        {
            "id": "begin",
            "type": "begin",
            "position": {"x": 80, "y": 120},
            "data": {
                "label": "Begin",
                "config": {
                    "input_schema": {
                        "type": "object",
                        "properties": {"topic": {"type": "string", "title": "Topic"}},
                        "required": ["topic"],
                    }
                },
            },
        },
        {
            "id": "answer",
            "type": "interact",
            "position": {"x": 420, "y": 120},
            "data": {"label": "Answer", "config": {}},
        },
    ],
    "edges": [{"id": "e1", "source": "begin", "target": "answer"}],
    "viewport": {"x": 0, "y": 0, "zoom": 1},
}

WITH_AUDIENCE = (
    '{"type": "object", "properties": {"topic": {"type": "string", "title": "Topic"},'
    ' "audience": {"type": "string", "title": "Audience"}}, "required": ["topic"]}'
)


def test_the_run_form_follows_the_saved_begin_schema_without_fetching_the_version(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas = create_canvas_via_api(page, unique("Run form"), GRAPH)
    version_reads: list[str] = []
    page.on(
        "request",
        lambda request: (
            version_reads.append(request.url)
            if f"/api/canvases/{canvas}/versions/" in request.url and request.method == "GET"
            else None
        ),
    )

    page.goto(f"/canvases/{canvas}/")
    page.get_by_test_id("tab-run").click()
    form = page.get_by_role("region", name="Run panel").get_by_test_id("run-input-form")
    expect(form.get_by_label("Topic")).to_be_visible()
    expect(form.get_by_label("Audience")).to_have_count(0)

    # An unsaved edit of the schema: runs still use the saved version, so does the form.
    page.get_by_test_id("tab-properties").click()
    select_node(page, "begin")
    page.get_by_test_id("field-data.config.input_schema").fill(WITH_AUDIENCE)
    page.get_by_test_id("tab-run").click()
    expect(page.get_by_test_id("unsaved-warning")).to_be_visible()
    expect(form.get_by_label("Audience")).to_have_count(0)

    page.keyboard.press("Control+s")
    page.get_by_test_id("save-message").fill("audience")
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)
    expect(form.get_by_label("Audience")).to_be_visible()
    expect(form.get_by_label("Topic")).to_be_visible()
    screenshot(page, "run-form-after-saving-a-new-input-field")

    assert version_reads == []
    assert page_errors == []
