"""Lossless YAML in the browser: a designer moves a sub-agent (unsaved), exports YAML, imports
the file onto another canvas and gets the same canvas back — node ids, labels ("Docs search",
not a slug), the Interact node as Interact, positions and viewport — and exporting that gives
the same bytes. A plan without a `ui:` section opens laid out and in view at a readable zoom."""

import re
from pathlib import Path

from playwright.sync_api import expect

from demo.management.commands.seed_demo import DOCUMENT_PROCESSING_YAML, docs_assistant_graph
from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    api_json,
    create_canvas_via_api,
    node,
    unique,
)

DEMO_YAML = DOCUMENT_PROCESSING_YAML


def export_yaml(page) -> str:
    with page.expect_download() as download:
        page.get_by_test_id("toolbar-export").click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def import_as_new_canvas(page, path: Path) -> str:
    """The canvas list's "Import YAML…": the new canvas opens in the editor; returns its id."""
    page.goto("/")
    page.get_by_test_id("import-toggle").click()
    page.get_by_test_id("yaml-file").set_input_files(str(path))
    page.get_by_test_id("yaml-import-submit").click()
    page.wait_for_url(re.compile(r"/canvases/[0-9a-f-]+/$"))
    expect(page.locator(".react-flow__node").first).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[1]


def shown(page, canvas_id: str) -> list:
    graph = api_json(page, "GET", f"/api/canvases/{canvas_id}/")["graph"]
    return [
        (n["id"], n["type"], n["data"]["label"], n["position"]["x"], n["position"]["y"])
        for n in graph["nodes"]
    ]


def test_export_import_export_in_the_editor_keeps_the_canvas_whole(
    page, log_in, screenshot, page_errors, tmp_path
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    original = create_canvas_via_api(page, unique("YAML round trip"), docs_assistant_graph())
    page.goto(f"/canvases/{original}/")
    docs = node(page, "search-docs")
    expect(docs).to_contain_text("Docs search")

    # move a sub-agent without saving: the export is of what is on the canvas now
    box = docs.bounding_box()
    page.mouse.move(box["x"] + 60, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 140, steps=8)
    page.mouse.up()
    expect(page.get_by_test_id("dirty-indicator")).to_be_visible()
    first = export_yaml(page)
    assert (
        "search-docs: {type: sub_agent, coordinator: coordinator, agent: search-docs, label: Docs search"
        in first
    )
    assert "interact: {type: interact" in first
    moved_y = next(
        int(line.split("y: ")[1].rstrip("}"))
        for line in first.splitlines()
        if line.strip().startswith("search-docs:")
    )
    assert moved_y > 220  # below where it was saved (y 220): the unsaved move is in the file
    screenshot(page, "yaml-round-trip-1-exported")

    file = tmp_path / "docs-assistant.yaml"
    file.write_text(first, encoding="utf-8")
    copy = import_as_new_canvas(page, file)
    expect(node(page, "search-docs")).to_contain_text("Docs search")
    expect(page.locator(".react-flow__node-interact")).to_have_count(1)
    expect(node(page, "interact")).to_contain_text("Answer")
    screenshot(page, "yaml-round-trip-2-imported")

    again = export_yaml(page)
    assert again == first
    ids = [n[0] for n in shown(page, copy)]
    assert ids == [
        "begin",
        "coordinator",
        "interact",
        "search-docs",
        "workspace-stats",
        "summarize-text",
    ]
    assert page_errors == []


def test_a_plan_without_layout_opens_laid_out_and_readable(
    page, log_in, screenshot, page_errors, tmp_path
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    # the demo plan, with agents this server registers
    text = DEMO_YAML.read_text(encoding="utf-8")
    for slug in ("extract-document", "publish-summary"):
        text = text.replace(f"agent: {slug}", "agent: summarize-text")
    plan = tmp_path / "document_processing.yaml"
    plan.write_text(text, encoding="utf-8")
    import_as_new_canvas(page, plan)
    expect(page.locator(".react-flow__node")).to_have_count(6)
    screenshot(page, "yaml-plan-without-ui-opens-in-view")
    pane = page.locator(".react-flow__pane").bounding_box()
    for node_box in page.locator(".react-flow__node").evaluate_all(
        "nodes => nodes.map(n => n.getBoundingClientRect().toJSON())"
    ):  # every node on screen
        assert (
            node_box["x"] >= pane["x"] - 1
            and node_box["x"] + node_box["width"] <= pane["x"] + pane["width"] + 1
        )
        assert (
            node_box["y"] >= pane["y"] - 1
            and node_box["y"] + node_box["height"] <= pane["y"] + pane["height"] + 1
        )
    zoom = page.locator(".react-flow__viewport").evaluate(
        "v => new DOMMatrix(getComputedStyle(v).transform).a"
    )
    assert zoom >= 0.6  # labels stay readable
    assert page_errors == []
