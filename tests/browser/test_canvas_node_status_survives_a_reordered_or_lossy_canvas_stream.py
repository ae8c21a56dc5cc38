"""The canvas socket delivers a run's events at most once and in broadcast order, which is not
seq order (engine threads broadcast after their own commits). The canvas's node colours still
end where the run ended: a late event is applied in its place (not dropped as a duplicate), and
a lost last event is fetched once the socket's heartbeat shows the run is further on.

The canvas is "Browser docs assistant" (conftest SETUP_SCRIPT): Begin → Coordinator → Interact.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_run_live import docs_canvas_id, start_run

pytestmark = pytest.mark.browser


def tamper_with_the_canvas_stream(page, change) -> list[str]:
    """Routes /ws/canvases/ through `change(message, send)`; returns the types it saw."""
    seen: list[str] = []

    def route(ws):
        server = ws.connect_to_server()

        def forward(message):
            try:
                parsed = json.loads(message)
            except ValueError:
                parsed = {}
            seen.append(parsed.get("type", ""))
            change(parsed, lambda m=message: ws.send(m))

        server.on_message(forward)

    page.route_web_socket(re.compile(r"/ws/canvases/"), route)
    return seen


def open_the_canvas_and_run_it(page, log_in) -> str:
    log_in(page)
    canvas_id = docs_canvas_id(page)
    page.goto(f"/canvases/{canvas_id}/")
    expect(page.get_by_test_id("node-coordinator")).to_be_visible()
    return start_run(page, canvas_id)["id"]


def node_status(page, node_id: str):
    return page.get_by_test_id(f"node-{node_id}").get_by_test_id("node-status")


def expect_every_node_succeeded(page) -> None:
    for node_id in ("begin", "coordinator", "search-docs", "interact"):
        expect(node_status(page, node_id)).to_have_attribute(
            "data-status", "succeeded", timeout=30_000
        )


def test_a_step_end_that_arrives_after_the_run_end_still_colours_its_node(
    page, page_errors, log_in
):
    held = []

    def coordinator_end_after_run_end(message, send):
        if message.get("type") == "step.succeeded" and message.get("step") == "coordinator":
            held.append(send)
            return
        send()
        if message.get("type") == "run.succeeded":
            for late in held:
                late()

    seen = tamper_with_the_canvas_stream(page, coordinator_end_after_run_end)
    open_the_canvas_and_run_it(page, log_in)

    expect_every_node_succeeded(page)
    assert held and "run.succeeded" in seen
    assert page_errors == []


def test_a_lost_run_end_is_fetched_after_the_next_heartbeat(page, page_errors, log_in):
    def lose_the_run_end(message, send):
        if message.get("type") != "run.succeeded":
            send()

    seen = tamper_with_the_canvas_stream(page, lose_the_run_end)
    run_id = open_the_canvas_and_run_it(page, log_in)

    expect_every_node_succeeded(page)
    assert "run.succeeded" in seen and "heartbeat" in seen
    assert page.request.get(f"/api/runs/{run_id}/").json()["status"] == "succeeded"
    assert page_errors == []
