"""A canvas of more than 300 nodes renders only the part around the view (with a margin), so a
pan frame only moves the view; panning or zooming brings the rest in. What acts on the
selection still acts on all of it: a select-all drag moves every node, also those never
rendered, and deleting the selection deletes every node and every edge."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    api_json,
    create_canvas_via_api,
    node,
    unique,
)
from tests.canvas.graph_factory import generate_graph

pytestmark = pytest.mark.browser

# After two frames (the window may still be moving in from the last drag), a point where the pane
# itself is under the pointer.
EMPTY_PANE_POINT = """async () => {
  for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
  const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
  for (let y = pane.top + 60; y < pane.bottom - 60; y += 7) {
    for (let x = pane.right - 260; x > pane.left + 60; x -= 7) {
      const el = document.elementFromPoint(x, y);
      if (el && el.classList.contains("react-flow__pane")) return { x, y };
    }
  }
  return null;
}"""

MIDDLE_NODE = """() => {
  const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
  const mid = { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 };
  let best = null, bestDistance = Infinity;
  for (const el of document.querySelectorAll(".react-flow__node")) {
    const box = el.getBoundingClientRect();
    const distance = Math.hypot(box.left - mid.x, box.top - mid.y);
    if (distance < bestDistance) [best, bestDistance] = [el.dataset.id, distance];
  }
  return best;
}"""


def rendered(page) -> int:
    return page.locator(".react-flow__node").count()


def drag_pane(page, dx: float, dy: float) -> None:
    start = page.evaluate(EMPTY_PANE_POINT)
    assert start, "no empty spot on the pane"
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + dx, start["y"] + dy, steps=12)
    page.mouse.up()


def save(page) -> None:
    page.keyboard.press("Control+s")
    page.get_by_test_id("save-message").fill("big graph edit")
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)


def stored(page, canvas_id: str) -> dict:
    return api_json(page, "GET", f"/api/canvases/{canvas_id}/")["graph"]


def test_a_big_graph_renders_the_part_around_the_view_and_edits_all_of_it(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    graph = generate_graph(400, 600)
    canvas_id = create_canvas_via_api(page, unique("Big window"), graph)
    far = max(graph["nodes"], key=lambda n: (n["position"]["x"], n["position"]["y"]))
    page.goto(f"/canvases/{canvas_id}/")
    expect(node(page, "begin")).to_be_visible(timeout=60_000)
    at_start = rendered(page)
    assert 0 < at_start < 400
    expect(node(page, far["id"])).to_have_count(0)

    # Dragging the pane to the left brings the far end of the graph in; the start leaves.
    for _ in range(12):
        if node(page, far["id"]).count():
            break
        drag_pane(page, -700, 0)
    expect(node(page, far["id"])).to_be_visible()
    expect(node(page, "begin")).to_have_count(0)
    assert rendered(page) < 400
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)  # panning edits nothing
    screenshot(page, "big-graph-panned-to-its-far-end")

    # Zooming out with the wheel renders more of it.
    before = rendered(page)
    pane = page.locator(".react-flow__pane").bounding_box()
    page.mouse.move(pane["x"] + pane["width"] / 2, pane["y"] + pane["height"] / 2)
    page.mouse.wheel(0, 400)
    page.wait_for_function(
        "n => document.querySelectorAll('.react-flow__node').length > n", arg=before
    )

    # Back to the start: select everything and drag one node; every node moves.
    page.reload()
    expect(node(page, "begin")).to_be_visible(timeout=60_000)
    expect(node(page, far["id"])).to_have_count(0)
    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+a")
    expect(page.locator(".react-flow__node.selected")).to_have_count(rendered(page))
    # Grab a node near the middle of the pane (near its edge a drag would also pan the view).
    grabbed = page.evaluate(MIDDLE_NODE)
    box = node(page, grabbed).locator(".baton-node__label").bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 5)
    page.mouse.down()
    page.mouse.move(box["x"] + 110, box["y"] + 55, steps=10)
    page.mouse.up()
    save(page)
    start = {n["id"]: n["position"] for n in graph["nodes"]}
    moved = {n["id"]: n["position"] for n in stored(page, canvas_id)["nodes"]}
    dx = moved[grabbed]["x"] - start[grabbed]["x"]
    dy = moved[grabbed]["y"] - start[grabbed]["y"]
    assert dx > 50 and dy > 20
    for node_id, position in start.items():  # every node, by the same offset
        assert moved[node_id]["x"] == pytest.approx(position["x"] + dx, abs=0.5)
        assert moved[node_id]["y"] == pytest.approx(position["y"] + dy, abs=0.5)

    # Deleting the selection deletes every node and every edge, not only those rendered.
    page.keyboard.press("Delete")
    expect(page.locator(".react-flow__node")).to_have_count(0)
    save(page)
    after = stored(page, canvas_id)
    assert after["nodes"] == [] and after["edges"] == []
    assert page_errors == []
