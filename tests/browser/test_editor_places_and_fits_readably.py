"""Two rough edges of the editor: nodes added from the palette with Enter go to free space
near the middle of the view (never stacked on each other), and Fit never zooms a big graph
out to unreadable specks: it stays at a readable zoom with the start of the flow in view."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, create_canvas_via_api, node, unique
from tests.canvas.graph_factory import chain, graph
from tests.canvas.graph_factory import node as graph_node

pytestmark = pytest.mark.browser


def boxes(page):
    return page.locator(".react-flow__node").evaluate_all(
        "nodes => nodes.map(n => ({id: n.dataset.id, ...n.getBoundingClientRect().toJSON()}))"
    )


def overlap(a, b) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def zoom(page) -> float:
    return page.locator(".react-flow__viewport").evaluate(
        "v => new DOMMatrix(getComputedStyle(v).transform).a"
    )


def test_palette_enter_places_each_new_node_in_free_space(page, log_in, screenshot, page_errors):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas = create_canvas_via_api(page, unique("Palette Enter"))
    page.goto(f"/canvases/{canvas}/")
    expect(page.locator(".react-flow__pane")).to_be_visible()
    item = page.get_by_test_id("palette-transform")
    for count in range(1, 6):
        item.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".react-flow__node")).to_have_count(count)
    placed = boxes(page)
    clashes = [
        (a["id"], b["id"]) for i, a in enumerate(placed) for b in placed[i + 1 :] if overlap(a, b)
    ]
    assert clashes == []
    pane = page.locator(".react-flow__pane").bounding_box()
    for box in placed:  # all still in view, near its middle
        assert pane["x"] <= box["x"] and box["x"] + box["width"] <= pane["x"] + pane["width"]
        assert pane["y"] <= box["y"] and box["y"] + box["height"] <= pane["y"] + pane["height"]
    screenshot(page, "palette-enter-free-space")
    assert page_errors == []


def test_fit_keeps_a_big_graph_readable_with_its_start_in_view(
    page, log_in, screenshot, page_errors
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    ids = ["begin", *[f"t{i}" for i in range(1, 40)], "answer"]
    nodes = [graph_node("begin", "begin")]
    nodes += [graph_node(i, "transform", {"output": i}) for i in ids[1:-1]]
    nodes.append(graph_node("answer", "interact"))
    for i, n in enumerate(nodes):
        n["position"] = {"x": i * 300, "y": (i % 3) * 120}
    g = graph(nodes, chain(*ids))
    canvas = create_canvas_via_api(page, unique("Long chain"), g)
    page.goto(f"/canvases/{canvas}/")
    expect(node(page, "begin")).to_be_visible()
    page.get_by_test_id("toolbar-fit").click()
    # wait for the fit animation to settle: the same zoom, below 100 %, twice in a row
    page.wait_for_function(
        """() => {
            const a = new DOMMatrix(getComputedStyle(
                document.querySelector('.react-flow__viewport')).transform).a;
            const settled = a < 0.99 && window.__lastZoom === a;
            window.__lastZoom = a;
            return settled;
        }""",
        polling=250,
    )
    assert zoom(page) >= 0.6  # labels stay readable, where plain fitView would go to ~0.1
    begin = node(page, "begin").bounding_box()
    pane = page.locator(".react-flow__pane").bounding_box()
    assert pane["x"] <= begin["x"] < pane["x"] + pane["width"]  # the start of the flow is in view
    screenshot(page, "fit-readable-long-chain")
    assert page_errors == []
