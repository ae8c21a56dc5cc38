"""Canvas list → "Start from a template…": the demos and reference examples as cards; one
click makes a canvas of yours from the docs assistant. In it, the palette's search finds the
sticky note, Enter adds it, the note keeps what you write, is saved with the version and is
still there after a reload — and the canvas validates as before. Auto-layout leaves it be."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, api_json

pytestmark = pytest.mark.browser

NOTE = "Ask legal before publishing anything from this flow."


def test_a_template_becomes_my_canvas_and_a_note_on_it_is_saved(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    page.get_by_test_id("templates-toggle").click()
    cards = page.get_by_test_id("template-card")
    expect(cards).to_have_count(6)
    docs = page.locator('[data-template="docs-assistant"]')
    expect(docs).to_contain_text("Docs assistant")
    expect(docs.get_by_test_id("template-missing-agents")).to_have_count(0)
    parallel = page.locator('[data-template="reference-parallel"]')
    expect(parallel.get_by_test_id("template-missing-agents")).to_contain_text("agent-a")
    screenshot(page, "templates-gallery")

    with page.expect_navigation():
        docs.get_by_test_id("template-use-docs-assistant").click()
    canvas_id = re.search(r"/canvases/([0-9a-f-]+)/$", page.url).group(1)
    expect(page.locator(".react-flow__node-sub_agent")).to_have_count(3)
    expect(page.locator(".react-flow__node-coordinator")).to_have_count(1)

    search = page.get_by_test_id("palette-search")
    search.fill("approv")
    expect(page.get_by_test_id("palette-human_approval")).to_be_visible()
    expect(page.get_by_test_id("palette-coordinator")).to_have_count(0)
    search.fill("sticky")
    expect(page.locator(".palette__item")).to_have_count(1)
    search.press("Enter")
    note = page.locator(".react-flow__node-note")
    expect(note).to_have_count(1)
    expect(page.get_by_test_id("properties-note")).to_be_visible()
    page.get_by_test_id("note-text").fill(NOTE)
    expect(note).to_contain_text(NOTE)
    search.press("Escape")
    expect(page.get_by_test_id("palette-coordinator")).to_be_visible()

    page.keyboard.press("Control+s")
    page.get_by_test_id("save-message").fill("added a note")
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)
    screenshot(page, "template-canvas-with-a-note")

    graph = api_json(page, "GET", f"/api/canvases/{canvas_id}/")["graph"]
    (stored,) = [n for n in graph["nodes"] if n["type"] == "note"]
    assert stored["data"]["config"]["text"] == NOTE
    problems = api_json(page, "POST", f"/api/canvases/{canvas_id}/validate/", {})["problems"]
    assert problems == []

    page.reload()
    expect(page.locator(".react-flow__node-note")).to_contain_text(NOTE)

    # Auto-layout moves the steps and leaves the note where its author put it.
    page.get_by_role("button", name="Auto-layout").click()
    page.keyboard.press("Control+s")
    page.get_by_test_id("save-message").fill("laid out")
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)
    after = api_json(page, "GET", f"/api/canvases/{canvas_id}/")["graph"]["nodes"]
    positions = {n["id"]: n["position"] for n in after}
    assert positions[stored["id"]] == stored["position"]
    assert any(positions[n["id"]] != n["position"] for n in graph["nodes"] if n["type"] != "note")
    assert page_errors == []
