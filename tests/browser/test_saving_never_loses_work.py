"""Saving never loses work: the save dialog keeps focus in "What changed?" while a message
is typed key by key (space included), Enter saves and Escape cancels; edits that were never
saved survive a reload as a local draft that the editor offers back (restore or discard)."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, api_json, drop, new_canvas, unique

pytestmark = pytest.mark.browser


def test_a_message_typed_key_by_key_and_enter_create_a_version(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = new_canvas(page, unique("Save dialog"))
    drop(page, "begin", 200, 200)

    page.get_by_test_id("toolbar-save").click()
    message = page.get_by_test_id("save-message")
    expect(message).to_be_focused()
    page.keyboard.type("fixed config", delay=40)  # one key at a time, as a person types
    expect(message).to_be_focused()
    expect(message).to_have_value("fixed config")
    expect(page.get_by_test_id("save-dialog")).to_be_visible()
    screenshot(page, "save-dialog-typed-message")

    with page.expect_response(
        lambda r: (
            r.url.endswith(f"/api/canvases/{canvas_id}/versions/") and r.request.method == "POST"
        )
    ) as posted:
        page.keyboard.press("Enter")
    assert posted.value.status == 201
    expect(page.get_by_test_id("save-dialog")).to_have_count(0)
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)
    expect(page.get_by_test_id("canvas-version")).to_have_text("v1")

    page.get_by_test_id("toolbar-versions").click()
    expect(page.get_by_test_id("version-item").first).to_contain_text("fixed config")
    versions = api_json(page, "GET", f"/api/canvases/{canvas_id}/versions/")
    rows = versions["results"] if isinstance(versions, dict) else versions
    assert [v["message"] for v in rows] == ["fixed config"]
    assert page_errors == []


def test_escape_cancels_the_save_dialog_without_saving(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = new_canvas(page, unique("Save escape"))
    drop(page, "begin", 200, 200)
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/versions/" in r.url else None,
    )
    page.get_by_test_id("toolbar-save").click()
    page.keyboard.type("not now", delay=20)
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("save-dialog")).to_have_count(0)
    expect(page.get_by_test_id("dirty-indicator")).to_be_visible()
    assert posts == []
    assert api_json(page, "GET", f"/api/canvases/{canvas_id}/")["version"] is None
    assert page_errors == []


def test_unsaved_edits_come_back_after_a_reload_when_restored(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = new_canvas(page, unique("Draft"))
    drop(page, "begin", 200, 200)
    page.get_by_test_id("toolbar-save").click()
    page.keyboard.type("a begin")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("canvas-version")).to_have_text("v1")

    drop(page, "transform", 500, 200)
    drop(page, "wait", 500, 400)
    expect(page.get_by_test_id("dirty-indicator")).to_be_visible()
    # The draft is written shortly after the last edit; wait until it is there.
    page.wait_for_function(
        f"() => (JSON.parse(localStorage.getItem('baton.draft.{canvas_id}') || 'null')"
        "?.graph.nodes.length) === 3"
    )

    page.on("dialog", lambda dialog: dialog.accept())  # the unsaved-changes guard asks first
    page.reload()
    prompt = page.get_by_test_id("draft-prompt")
    expect(prompt).to_contain_text("made on v1")
    expect(page.locator(".react-flow__node")).to_have_count(1)  # the saved version until asked
    screenshot(page, "draft-restore-prompt")
    page.get_by_test_id("draft-restore").click()
    expect(prompt).to_have_count(0)
    expect(page.locator(".react-flow__node")).to_have_count(3)
    expect(page.get_by_test_id("dirty-indicator")).to_be_visible()

    # Saving the restored edits clears the draft: the next visit asks nothing.
    page.get_by_test_id("toolbar-save").click()
    page.keyboard.type("restored")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("canvas-version")).to_have_text("v2")
    assert len(api_json(page, "GET", f"/api/canvases/{canvas_id}/")["graph"]["nodes"]) == 3
    page.reload()
    expect(page.locator(".react-flow__node")).to_have_count(3)
    expect(page.get_by_test_id("draft-prompt")).to_have_count(0)
    assert page.evaluate(f"localStorage.getItem('baton.draft.{canvas_id}')") is None
    assert page_errors == []


def test_a_discarded_draft_is_gone(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = new_canvas(page, unique("Draft discard"))
    drop(page, "begin", 200, 200)
    page.wait_for_function(f"() => !!localStorage.getItem('baton.draft.{canvas_id}')")
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.get_by_test_id("draft-discard").click()
    expect(page.get_by_test_id("draft-prompt")).to_have_count(0)
    expect(page.locator(".react-flow__node")).to_have_count(0)
    assert page.evaluate(f"localStorage.getItem('baton.draft.{canvas_id}')") is None
    assert page_errors == []
