"""A canvas of more than 300 nodes (where only the part around the view is rendered) gets a minimap
painted on one <canvas> (React Flow's own minimap mounts a component per node and repaints
them all on every pan frame); it shows where the view is, and a click on it moves the view
there. A small canvas keeps React Flow's minimap."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, create_canvas_via_api, unique
from tests.canvas.graph_factory import generate_graph

pytestmark = pytest.mark.browser


def test_a_click_on_the_painted_minimap_of_a_big_graph_moves_the_view(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Big map"), generate_graph(400, 600))
    page.goto(f"/canvases/{canvas_id}/")
    minimap = page.get_by_test_id("canvas-minimap")
    expect(minimap).to_be_visible(timeout=60_000)
    expect(page.locator(".react-flow__minimap")).to_have_count(0)
    # The nodes are painted: the canvas is not blank.
    painted = minimap.locator("canvas").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some(v => v > 0)"
    )
    assert painted
    frame = page.get_by_test_id("canvas-minimap-view")
    viewport = page.locator(".react-flow__viewport")
    before_style, before_frame = viewport.get_attribute("style"), frame.bounding_box()

    box = minimap.locator("canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    expect(viewport).not_to_have_attribute("style", before_style)  # the view moved
    after_frame = frame.bounding_box()
    assert after_frame["x"] > before_frame["x"] or after_frame["y"] > before_frame["y"]
    screenshot(page, "big-graph-painted-minimap")
    assert page_errors == []


def test_a_small_canvas_keeps_react_flows_minimap(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Small map"), generate_graph(20, 25))
    page.goto(f"/canvases/{canvas_id}/")
    expect(page.locator(".react-flow__minimap")).to_be_visible()
    expect(page.get_by_test_id("canvas-minimap")).to_have_count(0)
    assert page_errors == []
