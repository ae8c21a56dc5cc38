"""Validation reports everything at once, each problem once: temperature 5, max dispatches 0
and a sub-agent timeout of 5000 s over a 1800 s max execution time give three problems
together — the cross-field one included — in the server's words, one per field."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, create_canvas_via_api, select_node, unique
from tests.browser.test_editor_validation import _valid_graph

pytestmark = pytest.mark.browser

FIELDS = {
    "data.config.temperature": "Input should be less than or equal to 2",
    "data.config.budget.max_dispatches": "Input should be greater than or equal to 1",
    "data.config.sub_agent_timeout": (
        "sub_agent_timeout (5000 s) must not exceed max_execution_time (1800 s)"
    ),
}


def test_three_problems_show_together_and_once_each(page, page_errors, log_in, screenshot):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Three problems"), _valid_graph())
    page.goto(f"/canvases/{canvas_id}/")
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("Valid")

    select_node(page, "coord")
    page.get_by_test_id("field-data.config.temperature").fill("5")
    page.get_by_test_id("field-data.config.budget.max_dispatches").fill("0")
    page.get_by_test_id("field-data.config.sub_agent_timeout").fill("5000")
    expect(page.get_by_test_id("field-data.config.max_execution_time")).to_have_value("1800")

    expect(page.get_by_test_id("toolbar-problems")).to_have_text("3 errors")
    for path, message in FIELDS.items():
        field = page.locator(f'[data-field="{path}"]')
        expect(field.locator("li")).to_have_count(1)  # once, not client + server
        expect(field.locator("li")).to_have_text(message)

    page.get_by_test_id("toolbar-problems").click()
    problems = page.get_by_test_id("problem-item")
    expect(problems).to_have_count(3)
    listed = " ".join(problems.all_inner_texts())
    for message in FIELDS.values():
        assert listed.count(message) == 1
    screenshot(page, "validation-three-problems-at-once")

    # fixing the field errors leaves the cross-field one, still reported
    page.get_by_test_id("field-data.config.temperature").fill("0.5")
    page.get_by_test_id("field-data.config.budget.max_dispatches").fill("3")
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("1 error")
    page.get_by_test_id("field-data.config.sub_agent_timeout").fill("600")
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("Valid")
    assert page_errors == []
