"""Expressions you can see: a {{ }} field completes input.* from the Begin node's schema and
steps.<id>.output… from the graph and the last run's real outputs, shows the server's syntax
error inline, and previews the value against the last run's data (a transform's JSON output
too)."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, select_node
from tests.browser.expression_canvas import canvas_with_a_finished_run

pytestmark = pytest.mark.browser


def editor(page, path: str):
    """The CodeMirror editor of a field. Until its chunk has loaded the field is a plain
    textarea with the same test id; typing into that before the swap would race it."""
    return page.locator(f'.cm-content[data-testid="field-{path}"]')


def completions(page):
    return page.locator(".cm-tooltip-autocomplete li")


def accept(page, option) -> None:
    """Enter on the highlighted completion. CodeMirror ignores an accept in the first 75 ms
    after the list changes (a guard against accidental picks), so wait past it first."""
    expect(option).to_have_attribute("aria-selected", "true")
    page.wait_for_timeout(150)
    page.keyboard.press("Enter")


def test_a_condition_is_completed_from_the_last_run_checked_and_previewed(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id, _run = canvas_with_a_finished_run(page, "Expressions journey")
    page.goto(f"/canvases/{canvas_id}/")
    select_node(page, "check")

    field = editor(page, "data.config.expression")
    field.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("steps.sh", delay=30)
    option = completions(page).filter(has_text="steps.shape.output")
    accept(page, option.first)
    page.keyboard.type(".ti", delay=30)
    title = completions(page).filter(has_text="steps.shape.output.title")
    expect(title).to_be_visible()
    expect(title).to_contain_text('last run: "Doc D-42"')
    screenshot(page, "expression-autocomplete-from-last-run")
    accept(page, title)
    page.keyboard.type(" == 'Doc D-42'", delay=20)
    expect(field).to_have_text("steps.shape.output.title == 'Doc D-42'")

    preview = page.get_by_test_id("preview-data.config.expression")
    expect(preview).to_contain_text("Last run (true):", timeout=20_000)
    expect(preview.locator("pre")).to_have_text("true")
    screenshot(page, "expression-preview-true")

    page.keyboard.type(" and (", delay=20)
    error = page.locator('[data-field="data.config.expression"]').get_by_test_id(
        "field-error-local"
    )
    expect(error).to_contain_text("syntax error at line 1", timeout=20_000)
    expect(preview).to_have_count(0)
    screenshot(page, "expression-syntax-error-inline")
    assert page_errors == []


def test_a_template_completes_the_begin_nodes_input_and_previews_the_text(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id, _run = canvas_with_a_finished_run(page, "Template journey")
    page.goto(f"/canvases/{canvas_id}/")
    select_node(page, "answer")

    field = editor(page, "data.config.message")
    field.click()
    page.keyboard.type("Title: {{ inp", delay=30)
    option = completions(page).filter(has_text="input.document_id")
    expect(option).to_be_visible()
    expect(option).to_contain_text("string — Which document")
    accept(page, option)
    page.keyboard.type(" }}, {{ steps.shape.output.pages }} pages", delay=15)
    preview = page.get_by_test_id("preview-data.config.message")
    expect(preview.locator("pre")).to_have_text("Title: D-42, 3 pages", timeout=20_000)
    screenshot(page, "expression-template-preview")
    expect(page.get_by_test_id("dirty-indicator")).to_be_visible()  # it is part of the graph

    # a transform's JSON output: each string checked, the whole value previewed
    select_node(page, "shape")
    output = page.get_by_test_id("preview-data.config.output").locator("pre")
    expect(output).to_contain_text('"title": "Doc D-42"', timeout=20_000)
    screenshot(page, "expression-json-value-preview")
    assert page_errors == []
