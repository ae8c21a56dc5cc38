"""The canvas's dotted background follows the view without being repainted: a pan only
translates its layer (by the view's offset modulo one dot spacing, always covering the
pane), and its dot pattern changes only when the zoom does."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, create_canvas_via_api, unique

pytestmark = pytest.mark.browser

GAP = 24

GRAPH = {
    "nodes": [
        {
            "id": "begin",
            "type": "begin",
            "position": {"x": 0, "y": 0},
            "data": {"label": "", "config": {}},
        },
        {
            "id": "answer",
            "type": "interact",
            "position": {"x": 400, "y": 0},
            "data": {"label": "", "config": {}},
        },
    ],
    "edges": [{"id": "e1", "source": "begin", "target": "answer"}],
    "viewport": {"x": 40, "y": 60, "zoom": 1},
}


def view(page) -> tuple[float, float, float]:
    transform = page.locator(".react-flow__viewport").evaluate("el => el.style.transform")
    x, y, zoom = re.findall(r"-?[\d.]+", transform)[:3]
    return float(x), float(y), float(zoom)


def layer(page) -> dict:
    return page.get_by_test_id("pan-background").evaluate(
        """el => {
          const pattern = el.querySelector("pattern");
          const m = new DOMMatrix(getComputedStyle(el).transform);
          const box = el.getBoundingClientRect(), pane = el.parentElement.getBoundingClientRect();
          return {
            dx: m.m41, dy: m.m42,
            tile: Number(pattern.getAttribute("width")),
            pattern: pattern.outerHTML,
            covers: box.left <= pane.left && box.top <= pane.top
              && box.right >= pane.right && box.bottom >= pane.bottom,
          };
        }"""
    )


def wrap(value: float, step: float) -> float:
    return ((value % step) + step) % step


def test_panning_moves_the_dotted_background_as_one_layer(page, page_errors, log_in, screenshot):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas = create_canvas_via_api(page, unique("Background"), GRAPH)
    page.goto(f"/canvases/{canvas}/")
    expect(page.locator(".react-flow__node")).to_have_count(2)
    before = layer(page)
    assert before["tile"] == GAP and before["covers"]
    assert page.locator(".react-flow__background").count() == 1  # React Flow's own is gone

    pane = page.locator(".react-flow__pane").bounding_box()
    page.mouse.move(pane["x"] + 300, pane["y"] + 400)
    page.mouse.down()
    page.mouse.move(pane["x"] + 237, pane["y"] + 381, steps=6)
    page.mouse.up()
    x, y, zoom = view(page)
    assert (x, y) != (40, 60) and zoom == 1
    after = layer(page)
    assert after["pattern"] == before["pattern"]  # nothing to repaint
    assert after["covers"]
    assert (after["dx"], after["dy"]) != (before["dx"], before["dy"])
    # The dots moved with the view: same offset modulo the dot spacing.
    assert wrap(after["dx"] - x, GAP) == pytest.approx(0, abs=0.01) or wrap(
        after["dx"] - x, GAP
    ) == pytest.approx(GAP, abs=0.01)
    assert wrap(after["dy"] - y, GAP) == pytest.approx(0, abs=0.01) or wrap(
        after["dy"] - y, GAP
    ) == pytest.approx(GAP, abs=0.01)
    screenshot(page, "background-after-a-pan")

    # Zooming changes the spacing (the pattern), and the layer still covers the pane.
    page.get_by_role("button", name="Zoom Out").click()
    expect(page.get_by_test_id("pan-background").locator("pattern")).not_to_have_attribute(
        "width", str(GAP)
    )
    zoomed = layer(page)
    assert zoomed["covers"] and zoomed["tile"] == pytest.approx(GAP * view(page)[2], abs=0.01)
    assert page_errors == []
