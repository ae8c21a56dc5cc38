"""Canvas list → "Generate from a goal": preview the plan (why each step, how long), create
the canvas — laid out in the editor, ready to edit — and run it to the end."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT

pytestmark = pytest.mark.browser

GOAL = "Search the docs for how approvals time out, then summarize what you found"


def test_a_goal_becomes_a_canvas_that_runs(page, page_errors, log_in, screenshot):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    page.goto("/")
    page.get_by_test_id("generate-toggle").click()
    page.get_by_test_id("generate-goal").fill(GOAL)
    page.get_by_test_id("generate-preview").click()

    steps = page.get_by_test_id("generate-step")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("search-docs")
    expect(steps.nth(1)).to_contain_text("summarize-text")
    expect(steps.nth(1)).to_contain_text("works on the result of search-docs")
    expect(page.get_by_test_id("generate-result")).to_contain_text("planned by baton/local")
    screenshot(page, "generate-from-goal-preview")

    with page.expect_navigation():
        page.get_by_test_id("generate-create").click()
    for node in ("search-docs", "summarize-text"):
        expect(page.get_by_test_id(f"node-{node}")).to_be_visible()
    first = page.get_by_test_id("node-search-docs").bounding_box()
    second = page.get_by_test_id("node-summarize-text").bounding_box()
    assert second["x"] > first["x"]  # laid out left to right in dependency order

    page.get_by_test_id("tab-run").click()
    panel = page.get_by_role("region", name="Run panel")
    panel.get_by_label("Query").fill("approval timeouts")
    panel.get_by_role("button", name="Run", exact=True).click()
    current = panel.get_by_role("region", name="Current run")
    expect(current.locator(".active-run__head [data-status]")).to_have_attribute(
        "data-status", "succeeded", timeout=20_000
    )
    expect(
        page.get_by_test_id("node-summarize-text").get_by_test_id("node-status")
    ).to_have_attribute("data-status", "succeeded")
    screenshot(page, "generate-from-goal-run")
    assert page_errors == []
