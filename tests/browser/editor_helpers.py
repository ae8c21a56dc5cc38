"""Helpers for the editor's browser tests: build a canvas the way a user does.

Everything goes through the page (palette drag and drop, handle-to-handle drags, the
property panel); `api` is only for setting up or checking what the server stored.
"""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import Page, expect

EDITOR_VIEWPORT = {"width": 1600, "height": 950}


def new_canvas(page: Page, name: str) -> str:
    """Create a canvas from the list page; returns its id once the editor is open."""
    page.goto("/")
    page.get_by_test_id("new-canvas-name").fill(name)
    with page.expect_navigation():
        page.get_by_test_id("new-canvas-submit").click()
    expect(page.locator(".react-flow__pane")).to_be_visible()
    match = re.search(r"/canvases/([0-9a-f-]+)/$", page.url)
    assert match, page.url
    return match.group(1)


def node_ids(page: Page, type_: str | None = None) -> list[str]:
    selector = f".react-flow__node-{type_}" if type_ else ".react-flow__node"
    return page.locator(selector).evaluate_all("nodes => nodes.map(n => n.dataset.id)")


def drop(page: Page, type_: str, x: float, y: float) -> str:
    """Drag palette item `type_` onto the canvas at (x, y) of the pane; returns the new node id."""
    before = set(node_ids(page))
    page.get_by_test_id(f"palette-{type_}").drag_to(
        page.locator(".react-flow__pane"), target_position={"x": x, "y": y}
    )
    expect(page.locator(".react-flow__node")).to_have_count(len(before) + 1)
    (new,) = set(node_ids(page)) - before
    return new


def node(page: Page, node_id: str):
    return page.locator(f'.react-flow__node[data-id="{node_id}"]')


def handle(page: Page, node_id: str, handle_id: str):
    return node(page, node_id).locator(f'[data-handleid="{handle_id}"]')


def connect(page: Page, source: str, source_handle: str, target: str, target_handle: str) -> None:
    """Drag from one handle to another with the mouse (what React Flow listens to)."""
    start = handle(page, source, source_handle).bounding_box()
    end = handle(page, target, target_handle).bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    steps = 8
    for i in range(1, steps + 1):
        page.mouse.move(
            start["x"] + (end["x"] - start["x"]) * i / steps + end["width"] / 2 * i / steps,
            start["y"] + (end["y"] - start["y"]) * i / steps + end["height"] / 2 * i / steps,
        )
    page.mouse.up()


def edge_count(page: Page) -> int:
    return page.locator(".react-flow__edge").count()


def select_node(page: Page, node_id: str) -> None:
    node(page, node_id).locator(".baton-node__label").click()
    expect(page.get_by_test_id("properties-node")).to_have_attribute("data-node-id", node_id)


def csrf(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def api(page: Page, method: str, path: str, data=None, multipart=None):
    """Call the REST API with the page's session (and its CSRF token for writes)."""
    headers = {"Accept": "application/json"}
    if method != "GET":
        headers["X-CSRFToken"] = csrf(page)
        headers["Referer"] = page.url
    kwargs = {"headers": headers}
    if data is not None:
        kwargs["data"] = json.dumps(data)
        headers["Content-Type"] = "application/json"
    if multipart is not None:
        kwargs["multipart"] = multipart
    response = page.request.fetch(path, method=method, **kwargs)
    return response


def api_json(page: Page, method: str, path: str, data=None):
    response = api(page, method, path, data)
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json()


def create_canvas_via_api(page: Page, name: str, graph: dict | None = None) -> str:
    body = {"name": name}
    if graph is not None:
        body["graph"] = graph
    return api_json(page, "POST", "/api/canvases/", body)["id"]


def unique(name: str) -> str:
    return f"{name} {time.monotonic_ns() % 10**9}"
