"""Editing gestures: undo/redo, copy/paste with fresh ids, multi-select and delete, auto-layout,
the shortcuts help."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    connect,
    drop,
    new_canvas,
    node,
    node_ids,
    select_node,
    unique,
)

pytestmark = pytest.mark.browser


def _position(page, node_id):
    box = node(page, node_id).bounding_box()
    assert box
    return box["x"], box["y"]


def test_undo_and_redo_step_through_adds_connections_and_edits(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Undo"))
    begin = drop(page, "begin", 150, 150)
    wait = drop(page, "wait", 450, 150)
    connect(page, begin, "out", wait, "in")
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    select_node(page, wait)
    page.get_by_test_id("field-data.label").fill("Pause")
    expect(node(page, wait)).to_contain_text("Pause")

    page.locator(".react-flow__pane").click(position={"x": 700, "y": 500})
    page.keyboard.press("Control+z")  # the label edit (one step, however many keys)
    expect(node(page, wait)).to_contain_text("Wait")
    page.keyboard.press("Control+z")  # the edge
    expect(page.locator(".react-flow__edge")).to_have_count(0)
    page.keyboard.press("Control+z")  # the wait node
    expect(page.locator(".react-flow__node")).to_have_count(1)

    page.keyboard.press("Control+Shift+z")
    expect(page.locator(".react-flow__node")).to_have_count(2)
    page.keyboard.press("Control+y")
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    page.get_by_test_id("toolbar-redo").click()
    expect(node(page, wait)).to_contain_text("Pause")
    expect(page.get_by_test_id("toolbar-redo")).to_be_disabled()
    assert page_errors == []


def test_copy_paste_gives_new_ids_and_keeps_inner_edges_then_delete_removes_the_selection(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Copy paste"))
    first = drop(page, "transform", 150, 150)
    second = drop(page, "transform", 450, 150)
    connect(page, first, "out", second, "in")

    # Ctrl-click adds to the selection.
    select_node(page, first)
    node(page, second).locator(".baton-node__label").click(modifiers=["Control"])
    expect(page.get_by_test_id("properties-multi")).to_contain_text("2 nodes selected")

    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(page.locator(".react-flow__node")).to_have_count(4)
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    pasted = set(node_ids(page)) - {first, second}
    assert len(pasted) == 2 and all(p.startswith("transform_") for p in pasted)
    expect(page.locator(".react-flow__node.selected")).to_have_count(2)  # the pasted copies
    screenshot(page, "editor-copy-paste")

    page.keyboard.press("Delete")
    expect(page.locator(".react-flow__node")).to_have_count(2)
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    assert set(node_ids(page)) == {first, second}

    # Shift-drag draws a selection box.
    a = node(page, first).bounding_box()
    b = node(page, second).bounding_box()
    page.keyboard.down("Shift")
    page.mouse.move(a["x"] - 30, a["y"] - 30)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] + 30, b["y"] + b["height"] + 30, steps=10)
    page.mouse.up()
    page.keyboard.up("Shift")
    expect(page.locator(".react-flow__node.selected")).to_have_count(2)
    page.keyboard.press("Backspace")
    expect(page.locator(".react-flow__node")).to_have_count(0)
    assert page_errors == []


def test_auto_layout_lays_the_flow_out_left_to_right_with_sub_agents_under_their_coordinator(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Layout"))
    interact = drop(page, "interact", 120, 120)
    coordinator = drop(page, "coordinator", 420, 420)
    begin = drop(page, "begin", 720, 120)
    sub = drop(page, "sub_agent", 720, 420)
    connect(page, begin, "out", coordinator, "in")
    connect(page, coordinator, "out", interact, "in")
    connect(page, coordinator, "agents", sub, "delegate")

    page.get_by_test_id("toolbar-layout").click()
    page.wait_for_timeout(500)  # the fit-view animation
    bx, _ = _position(page, begin)
    cx, cy = _position(page, coordinator)
    ix, _ = _position(page, interact)
    sx, sy = _position(page, sub)
    assert bx < cx < ix
    assert sy > cy and abs(sx - cx) < 60
    screenshot(page, "editor-auto-layout")

    page.keyboard.press("Control+z")
    page.wait_for_timeout(100)
    bx2, _ = _position(page, begin)
    assert bx2 > _position(page, interact)[0]  # back where it was: begin right of interact
    assert page_errors == []


def test_question_mark_opens_the_keyboard_shortcuts(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Shortcuts"))
    page.locator(".react-flow__pane").click()
    page.keyboard.press("?")
    dialog = page.get_by_test_id("shortcuts-dialog")
    expect(dialog).to_contain_text("Ctrl+Shift+Z")
    expect(dialog).to_contain_text("Shift + drag")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert page_errors == []


def test_renaming_a_node_moves_its_edges_and_refuses_invalid_ids(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Rename"))
    begin = drop(page, "begin", 150, 150)
    step = drop(page, "transform", 450, 150)
    connect(page, begin, "out", step, "in")
    select_node(page, step)

    field = page.get_by_test_id("field-node-id")
    field.fill("9 lives")
    field.press("Enter")
    expect(page.get_by_test_id("properties-node")).to_contain_text("Start with a letter or _")
    field.fill(begin)
    field.press("Enter")
    expect(page.get_by_test_id("properties-node")).to_contain_text("already called")

    field.fill("shape_output")
    field.press("Enter")
    expect(node(page, "shape_output")).to_be_visible()
    expect(page.get_by_test_id("properties-node")).to_have_attribute("data-node-id", "shape_output")
    edge = page.locator(".react-flow__edge")
    expect(edge).to_have_count(1)
    expect(edge).to_have_attribute("aria-label", f"Edge from {begin} to shape_output")
    assert page_errors == []


def test_a_node_drag_is_one_undo_step(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Drag undo"))
    step = drop(page, "transform", 200, 200)
    start = _position(page, step)
    label = node(page, step).locator(".baton-node__label").bounding_box()
    page.mouse.move(label["x"] + 10, label["y"] + 5)
    page.mouse.down()
    page.mouse.move(label["x"] + 210, label["y"] + 155, steps=12)
    page.mouse.up()
    moved = _position(page, step)
    assert moved[0] - start[0] > 150 and moved[1] - start[1] > 100

    page.keyboard.press("Control+z")
    expect(node(page, step)).to_have_count(1)
    page.wait_for_timeout(100)
    assert _position(page, step) == start
    page.keyboard.press("Control+z")  # the drop itself
    expect(page.locator(".react-flow__node")).to_have_count(0)
    assert page_errors == []
