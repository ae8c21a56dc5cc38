"""Acceptance (issue 5, editor part): build Begin → Coordinator (3 sub-agents) → Interact
from the palette, configure it, save, reload it unchanged, export it to YAML and import it
back as a new canvas with the same steps."""

import pytest
import yaml
from playwright.sync_api import expect

from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    api_json,
    connect,
    drop,
    edge_count,
    new_canvas,
    node,
    select_node,
    unique,
)

pytestmark = pytest.mark.browser

AGENTS = ["search-docs", "workspace-stats", "summarize-text"]


def test_a_user_builds_saves_reloads_exports_and_reimports_a_coordinator_canvas(
    page, page_errors, log_in, screenshot, tmp_path
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    name = unique("Docs desk")
    canvas_id = new_canvas(page, name)

    # Drag the components from the palette.
    begin = drop(page, "begin", 130, 110)
    coordinator = drop(page, "coordinator", 420, 110)
    interact = drop(page, "interact", 720, 110)
    subs = [drop(page, "sub_agent", 130 + 290 * i, 380) for i in range(3)]
    expect(page.locator(".react-flow__node")).to_have_count(6)
    assert all(node_id.startswith("sub_agent_") for node_id in subs)

    # A coordinator without sub-agents is flagged on the node by server validation.
    expect(node(page, coordinator).get_by_test_id("node-error")).to_be_visible()

    # Connect: flow Begin → Coordinator → Interact; delegation Coordinator → each sub-agent.
    connect(page, begin, "out", coordinator, "in")
    connect(page, coordinator, "out", interact, "in")
    for sub in subs:
        connect(page, coordinator, "agents", sub, "delegate")
    expect(page.locator(".react-flow__edge")).to_have_count(5)
    expect(page.locator(".react-flow__edge.edge--delegation")).to_have_count(3)

    # Pick a registry agent for each sub-agent (the picker shows its description).
    for sub, slug in zip(subs, AGENTS, strict=True):
        select_node(page, sub)
        page.get_by_test_id("agent-select").select_option(slug)
        expect(page.get_by_test_id("agent-description")).to_be_visible()
        expect(node(page, sub)).to_contain_text(f"agent: {slug}")

    # Configure the coordinator's selection strategy in the property panel.
    select_node(page, coordinator)
    page.get_by_test_id("field-data.config.selection_strategy").select_option("priority_based")
    expect(node(page, coordinator)).to_contain_text("select: priority")
    expect(node(page, coordinator).get_by_test_id("node-error")).to_have_count(0)
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("Valid")
    expect(page.get_by_test_id("dirty-indicator")).to_be_visible()
    screenshot(page, "editor-built-coordinator-canvas")

    # Save with a message.
    page.get_by_test_id("toolbar-save").click()
    page.get_by_test_id("save-message").fill("Docs desk with three sub-agents")
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("toast").filter(has_text="Saved version 1")).to_be_visible()
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)
    expect(page.get_by_test_id("canvas-version")).to_have_text("v1")

    # Reload: the same nodes, edges and strategy.
    page.reload()
    expect(page.locator(".react-flow__node")).to_have_count(6)
    expect(page.locator(".react-flow__edge")).to_have_count(5)
    assert edge_count(page) == 5
    select_node(page, coordinator)
    expect(page.get_by_test_id("field-data.config.selection_strategy")).to_have_value(
        "priority_based"
    )
    expect(page.get_by_test_id("field-data.config.sub_agents")).to_contain_text("search-docs")
    stored = api_json(page, "GET", f"/api/canvases/{canvas_id}/")
    assert stored["version"] == 1
    assert {n["type"] for n in stored["graph"]["nodes"]} == {
        "begin",
        "coordinator",
        "sub_agent",
        "interact",
    }
    assert sorted(
        n["data"]["config"].get("agent")
        for n in stored["graph"]["nodes"]
        if n["type"] == "sub_agent"
    ) == sorted(AGENTS)
    screenshot(page, "editor-reloaded-coordinator-canvas")

    # Export to YAML …
    with page.expect_download() as download_info:
        page.get_by_test_id("toolbar-export").click()
    exported = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(exported)
    plan = yaml.safe_load(exported.read_text())
    (step,) = plan["steps"]
    assert step["id"] == coordinator and step["type"] == "coordinator"
    assert sorted(step["agents"]) == sorted(AGENTS)
    assert step["config"]["selection_strategy"] == "priority_based"

    # … and import it back as a new canvas from the list page.
    page.goto("/")
    page.get_by_test_id("import-toggle").click()
    page.get_by_test_id("yaml-file").set_input_files(str(exported))
    page.get_by_test_id("yaml-name").fill(f"{name} (imported)")
    with page.expect_navigation():
        page.get_by_test_id("yaml-import-submit").click()
    expect(page.get_by_role("heading", name=f"{name} (imported)")).to_be_visible()
    expect(page.locator(".react-flow__node")).to_have_count(6)
    imported_id = page.url.rstrip("/").rsplit("/", 1)[1]
    original = api_json(page, "GET", f"/api/canvases/{canvas_id}/export/?format=json")
    reimported = api_json(page, "GET", f"/api/canvases/{imported_id}/export/?format=json")
    assert reimported["steps"] == original["steps"]
    screenshot(page, "editor-imported-canvas")
    assert page_errors == []
