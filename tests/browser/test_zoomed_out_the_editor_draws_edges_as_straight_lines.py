"""Level of detail for edges: zoomed out past the point where nodes become labelled boxes, the
editor draws each edge as one straight line with no hover area (a 5,000-node graph zoomed to
fit stays light); zoomed back in, edges are curves that can be clicked again."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, create_canvas_via_api, unique

pytestmark = pytest.mark.browser


def _graph() -> dict:
    def n(node_id, type_, x, y):
        return {
            "id": node_id,
            "type": type_,
            "position": {"x": x, "y": y},
            "data": {"label": "", "config": {}},
        }

    def e(source, target):
        return {
            "id": f"{source}-{target}",
            "source": source,
            "target": target,
            "sourceHandle": "out",
            "targetHandle": "in",
        }

    return {
        "nodes": [
            n("begin", "begin", 0, 0),
            n("shape", "transform", 300, 160),
            n("answer", "interact", 600, 0),
        ],
        "edges": [e("begin", "shape"), e("shape", "answer")],
        "viewport": {"x": 40, "y": 60, "zoom": 1},
    }


def edge_paths(page) -> list[str]:
    return page.locator(".react-flow__edge-path").evaluate_all(
        "els => els.map(e => e.getAttribute('d'))"
    )


def zoom(page) -> float:
    transform = page.locator(".react-flow__viewport").evaluate("el => el.style.transform")
    return float(transform.rsplit("scale(", 1)[1].rstrip(")"))


def test_edges_become_straight_lines_when_zoomed_out_and_curves_again_when_zoomed_in(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Edge detail"), _graph())
    page.goto(f"/canvases/{canvas_id}/")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    paths = edge_paths(page)
    assert all("C" in d for d in paths), paths  # bezier curves
    expect(page.locator(".react-flow__edge-interaction")).to_have_count(2)  # clickable

    zoom_out = page.locator(".react-flow__controls-zoomout")
    while zoom(page) >= 0.35:
        zoom_out.click()
        page.wait_for_timeout(350)  # the controls animate the zoom
    expect(page.locator(".baton-node--far")).to_have_count(3)
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    paths = edge_paths(page)
    assert all("C" not in d and "L" in d for d in paths), paths  # one straight segment each
    expect(page.locator(".react-flow__edge-interaction")).to_have_count(0)
    screenshot(page, "edges-zoomed-out-straight")

    zoom_in = page.locator(".react-flow__controls-zoomin")
    while zoom(page) < 0.35:
        zoom_in.click()
        page.wait_for_timeout(350)
    expect(page.locator(".baton-node--far")).to_have_count(0)
    expect(page.locator(".react-flow__edge-interaction")).to_have_count(2)
    assert all("C" in d for d in edge_paths(page))
    screenshot(page, "edges-zoomed-in-curves")
    assert page_errors == []
