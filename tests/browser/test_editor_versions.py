"""Saving versions with messages, the history (view read-only, restore), the unsaved-changes
guard, export problems, and importing YAML onto an existing canvas."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    api_json,
    create_canvas_via_api,
    drop,
    new_canvas,
    unique,
)

pytestmark = pytest.mark.browser

PLAN_YAML = """\
name: imported-plan
description: Two agents in a row
steps:
  - id: search
    type: agent
    agent: search-docs
  - id: summarize
    type: agent
    agent: summarize-text
    depends_on: [search]
"""


def _save(page, message):
    page.get_by_test_id("toolbar-save").click()
    page.get_by_test_id("save-message").fill(message)
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)


def test_it_lists_versions_shows_one_read_only_and_restores_it(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = new_canvas(page, unique("History"))
    drop(page, "begin", 200, 200)
    _save(page, "just a begin")
    drop(page, "transform", 500, 200)
    drop(page, "wait", 500, 400)
    _save(page, "three nodes")
    expect(page.get_by_test_id("canvas-version")).to_have_text("v2")

    page.get_by_test_id("toolbar-versions").click()
    items = page.get_by_test_id("version-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("three nodes")
    expect(items.nth(1)).to_contain_text("just a begin")
    expect(items.nth(1)).to_contain_text("alice")
    screenshot(page, "editor-version-history")

    # View v1: read-only, with a banner; back to editing shows the working graph again.
    items.nth(1).get_by_test_id("version-view").click()
    expect(page.get_by_test_id("preview-banner")).to_contain_text("Viewing version 1")
    expect(page.locator(".react-flow__node")).to_have_count(1)
    expect(page.get_by_test_id("toolbar-save")).to_be_disabled()
    page.get_by_test_id("preview-close").click()
    expect(page.locator(".react-flow__node")).to_have_count(3)

    # Restore v1: saved as v3 and loaded.
    page.get_by_test_id("toolbar-versions").click()
    page.get_by_test_id("version-item").nth(1).get_by_test_id("version-restore").click()
    expect(
        page.get_by_test_id("toast").filter(has_text="Restored version 1 as version 3")
    ).to_be_visible()
    expect(page.locator(".react-flow__node")).to_have_count(1)
    expect(page.get_by_test_id("canvas-version")).to_have_text("v3")
    assert len(api_json(page, "GET", f"/api/canvases/{canvas_id}/")["graph"]["nodes"]) == 1
    assert page_errors == []


def test_it_asks_before_leaving_with_unsaved_changes(page, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Guard"))
    drop(page, "begin", 200, 200)
    expect(page.get_by_test_id("dirty-indicator")).to_be_visible()
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]


def test_export_of_an_invalid_canvas_writes_its_problems_as_comments(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Invalid export"))
    drop(page, "coordinator", 300, 200)
    expect(page.get_by_test_id("toolbar-problems")).not_to_have_text("Valid")
    with page.expect_download() as download:
        page.get_by_test_id("toolbar-export").click()  # unsaved: the draft as it is now
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# This draft has ")
    assert "no begin node" in text
    assert "type: coordinator" in text
    expect(page.get_by_test_id("toast").filter(has_text="Exported a draft with")).to_be_visible()
    expect(page.get_by_test_id("problems-panel")).to_contain_text("no begin node")
    assert page_errors == []


def test_importing_yaml_onto_a_canvas_saves_it_as_the_next_version(
    page, page_errors, log_in, tmp_path
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Import onto"))
    page.goto(f"/canvases/{canvas_id}/")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: broken\nsteps:\n  - id: 1bad\n    type: agent\n")
    good = Path(tmp_path / "plan.yaml")
    good.write_text(PLAN_YAML)

    page.get_by_test_id("toolbar-import").click()
    page.get_by_test_id("yaml-file").set_input_files(str(bad))
    page.get_by_test_id("yaml-import-submit").click()
    errors = page.get_by_test_id("yaml-import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("li").first).to_have_attribute("data-field", "steps.0.id")

    page.get_by_test_id("yaml-file").set_input_files(str(good))
    page.get_by_test_id("yaml-import-submit").click()
    expect(page.get_by_test_id("toast").filter(has_text="Imported as version 1")).to_be_visible()
    expect(page.locator(".react-flow__node")).to_have_count(4)  # begin, two agents, interact
    expect(page.get_by_test_id("canvas-version")).to_have_text("v1")
    plan = api_json(page, "GET", f"/api/canvases/{canvas_id}/export/?format=json")
    assert [s["id"] for s in plan["steps"]] == ["search", "summarize"]
    assert page_errors == []
