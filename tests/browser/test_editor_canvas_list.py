"""The canvas list: search, create, duplicate (with the latest graph), delete after a
confirmation, and YAML import with errors shown per field."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import api_json, create_canvas_via_api, unique

pytestmark = pytest.mark.browser

GRAPH = {
    "nodes": [
        {
            "id": "begin",
            "type": "begin",
            "position": {"x": 0, "y": 0},
            "data": {"label": "", "config": {}},
        },
        {
            "id": "docs",
            "type": "sub_agent",
            "position": {"x": 300, "y": 0},
            "data": {"label": "Docs", "config": {"agent": "search-docs"}},
        },
    ],
    "edges": [
        {
            "id": "e1",
            "source": "begin",
            "target": "docs",
            "sourceHandle": "out",
            "targetHandle": "in",
        }
    ],
}


def _row(page, name):
    return page.get_by_test_id("canvas-item").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def test_it_creates_a_canvas_and_opens_it_in_the_editor(page, page_errors, log_in):
    log_in(page)
    name = unique("Fresh")
    page.get_by_test_id("new-canvas-name").fill(name)
    with page.expect_navigation():
        page.get_by_test_id("new-canvas-submit").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_test_id("canvas-version")).to_have_text("never saved")
    assert page_errors == []


def test_it_searches_duplicates_and_deletes_canvases(page, page_errors, log_in, screenshot):
    log_in(page)
    tag = unique("zebra").replace(" ", "")
    original = create_canvas_via_api(page, f"{tag} original", GRAPH)
    create_canvas_via_api(page, unique("Unrelated"))
    page.reload()

    page.get_by_test_id("canvas-search").fill(tag)
    expect(page.get_by_test_id("canvas-item")).to_have_count(1)
    expect(_row(page, f"{tag} original")).to_be_visible()

    _row(page, f"{tag} original").get_by_test_id("canvas-duplicate").click()
    expect(page.get_by_test_id("canvas-item")).to_have_count(2)
    copy_row = _row(page, f"Copy of {tag} original")
    expect(copy_row).to_contain_text("v1")
    copy_id = copy_row.get_attribute("data-canvas-id")
    assert copy_id and copy_id != original
    copy = api_json(page, "GET", f"/api/canvases/{copy_id}/")
    assert [n["id"] for n in copy["graph"]["nodes"]] == ["begin", "docs"]
    assert copy["graph"]["edges"][0]["target"] == "docs"
    screenshot(page, "canvas-list-search-duplicate")

    page.once("dialog", lambda dialog: dialog.dismiss())
    copy_row.get_by_test_id("canvas-delete").click()
    expect(page.get_by_test_id("canvas-item")).to_have_count(2)  # dismissed: nothing deleted
    page.once("dialog", lambda dialog: dialog.accept())
    copy_row.get_by_test_id("canvas-delete").click()
    expect(page.get_by_test_id("canvas-item")).to_have_count(1)
    assert api_json(page, "GET", f"/api/canvases/?search={tag}")["results"][0]["id"] == original

    page.get_by_test_id("canvas-search").fill(f"{tag}-nothing")
    expect(page.get_by_text("No canvases match")).to_be_visible()
    assert page_errors == []


def test_a_yaml_import_that_does_not_validate_shows_its_errors_per_field(
    page, page_errors, log_in, tmp_path
):
    log_in(page)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: broken\nsteps:\n  - id: ask\n    type: agent\n    retries: 99\n")
    page.get_by_test_id("import-toggle").click()
    page.get_by_test_id("yaml-file").set_input_files(str(bad))
    page.get_by_test_id("yaml-import-submit").click()
    errors = page.get_by_test_id("yaml-import-errors").locator("li")
    expect(errors.first).to_be_visible()
    fields = errors.evaluate_all("items => items.map(i => i.dataset.field)")
    assert sorted(fields) == ["steps.0.agent", "steps.0.retries"]
    expect(errors.filter(has_text="steps.0.retries")).to_contain_text("less than or equal to 10")
    assert page.url.endswith("/")  # nothing was created, we stay on the list
    assert page_errors == []
