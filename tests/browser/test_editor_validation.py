"""Validation in the editor: server problems on the node, on the field, in the problems list;
connections that make no sense are refused while dragging, with the reason shown."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    connect,
    create_canvas_via_api,
    drop,
    handle,
    node,
    select_node,
    unique,
)

pytestmark = pytest.mark.browser


def _valid_graph() -> dict:
    def n(node_id, type_, config, x, y=0):
        return {
            "id": node_id,
            "type": type_,
            "position": {"x": x, "y": y},
            "data": {"label": "", "config": config},
        }

    def e(source, target, sh="out", th="in"):
        return {
            "id": f"{source}-{sh}-{target}",
            "source": source,
            "target": target,
            "sourceHandle": sh,
            "targetHandle": th,
        }

    return {
        "nodes": [
            n("begin", "begin", {}, 0),
            n("coord", "coordinator", {}, 300),
            n("docs", "sub_agent", {"agent": "search-docs"}, 300, 200),
            n("answer", "interact", {}, 600),
        ],
        "edges": [
            e("begin", "coord"),
            e("coord", "answer"),
            e("coord", "docs", "agents", "delegate"),
        ],
        "viewport": {"x": 40, "y": 60, "zoom": 1},
    }


def test_it_shows_an_out_of_range_temperature_on_the_node_the_field_and_the_problems_list(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Hot coordinator"), _valid_graph())
    page.goto(f"/canvases/{canvas_id}/")
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("Valid")

    select_node(page, "coord")
    # The stored config is {}: the form shows the schema defaults the server applies.
    expect(page.get_by_test_id("field-data.config.selection_strategy")).to_have_value(
        "capability_based"
    )
    expect(page.get_by_test_id("field-data.config.context_policy.mode")).to_have_value("full")
    temperature = page.get_by_test_id("field-data.config.temperature")
    expect(temperature).to_have_value("0.1")
    temperature.fill("5")

    field = page.locator('[data-field="data.config.temperature"]')
    expect(field.get_by_test_id("field-error-local")).to_have_text(
        "Input should be less than or equal to 2"
    )  # at once, locally, in the server's words
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("1 error")  # the server agrees
    expect(field.locator("li")).to_have_count(1)  # and the field says it once
    marker = node(page, "coord").get_by_test_id("node-error")
    expect(marker).to_be_visible()
    expect(marker).to_have_attribute(
        "title", "• Input should be less than or equal to 2 (data.config.temperature)"
    )
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("1 error")

    # The problems list names the node; clicking the problem selects it.
    page.locator(".react-flow__pane").click(position={"x": 600, "y": 600})  # clear the selection
    expect(page.get_by_test_id("properties-empty")).to_be_visible()
    page.get_by_test_id("toolbar-problems").click()
    problem = page.get_by_test_id("problem-item")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("coord")
    screenshot(page, "editor-validation-temperature")
    problem.click()
    expect(page.get_by_test_id("properties-node")).to_have_attribute("data-node-id", "coord")

    temperature = page.get_by_test_id("field-data.config.temperature")
    temperature.fill("0.7")
    expect(marker).to_have_count(0)
    expect(page.get_by_test_id("toolbar-problems")).to_have_text("Valid")
    assert page_errors == []


def test_it_flags_a_coordinator_that_has_no_sub_agents(page, page_errors, log_in, screenshot):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    graph = _valid_graph()
    graph["edges"] = [e for e in graph["edges"] if e["sourceHandle"] != "agents"]
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] != "docs"]
    canvas_id = create_canvas_via_api(page, unique("Lonely coordinator"), graph)
    page.goto(f"/canvases/{canvas_id}/")

    expect(node(page, "coord").get_by_test_id("node-error")).to_be_visible()
    select_node(page, "coord")
    sub_agents = page.locator('[data-field="data.config.sub_agents"]')
    expect(sub_agents.get_by_test_id("field-error")).to_contain_text("needs at least one sub-agent")
    screenshot(page, "editor-validation-no-sub-agents")
    assert page_errors == []


def _refused(page, source, source_handle, target, target_handle, reason):
    edges = page.locator(".react-flow__edge").count()
    connect(page, source, source_handle, target, target_handle)
    expect(page.get_by_test_id("toast").filter(has_text=reason)).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(edges)


def test_it_refuses_nonsense_connections_while_dragging_and_says_why(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Connection rules"), _valid_graph())
    page.goto(f"/canvases/{canvas_id}/")
    expect(page.locator(".react-flow__node")).to_have_count(4)
    first = drop(page, "transform", 200, 420)
    second = drop(page, "transform", 520, 420)
    connect(page, first, "out", second, "in")
    expect(page.locator(".react-flow__edge")).to_have_count(4)

    # A cycle in the flow.
    _refused(page, second, "out", first, "in", "would close a cycle")
    # Delegation only to a sub-agent's delegate handle.
    _refused(page, "coord", "agents", second, "in", "delegates only to sub-agents")
    # A delegated sub-agent cannot also be a flow step.
    _refused(page, first, "out", "docs", "in", "belongs to a coordinator")
    # The same connection twice.
    _refused(page, first, "out", second, "in", "already connected")

    # While dragging over a refusing handle the reason is shown next to the canvas.
    start = handle(page, second, "out").bounding_box()
    end = handle(page, first, "in").bounding_box()
    page.mouse.move(start["x"] + 5, start["y"] + 5)
    page.mouse.down()
    page.mouse.move(end["x"] + 20, end["y"] + 20, steps=6)
    page.mouse.move(end["x"] + 5, end["y"] + 5, steps=3)
    expect(page.get_by_test_id("connection-hint")).to_contain_text("would close a cycle")
    screenshot(page, "editor-connection-refused")
    page.mouse.up()
    expect(page.get_by_test_id("connection-hint")).to_have_count(0)
    assert page_errors == []
