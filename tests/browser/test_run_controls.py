"""Run controls in the browser: pause, resume, intervene and cancel a run that waits for an
approval, and the server's 409 shown as it is when a control no longer applies.

The canvas is "Browser approval flow" (conftest SETUP_SCRIPT): Begin → Human approval (alice)
→ Interact, so its runs wait until someone decides.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def canvas_id(page, slug: str) -> str:
    canvases = page.request.get("/api/canvases/?limit=200").json()["results"]
    return next(c["id"] for c in canvases if c["slug"] == slug)


def csrf_headers(page) -> dict[str, str]:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": token}


def start_waiting_run(page) -> str:
    gated = canvas_id(page, "browser-approval")
    response = page.request.post(
        f"/api/canvases/{gated}/runs/", data={"query": "ship it"}, headers=csrf_headers(page)
    )
    assert response.status == 202, response.text()
    run_id = response.json()["id"]
    for _ in range(100):
        if page.request.get(f"/api/runs/{run_id}/").json()["status"] == "waiting":
            return run_id
        page.wait_for_timeout(100)
    raise AssertionError("the run never waited for its approval")


def run_status(page):
    return page.locator(".run-page__title [data-status]")


def test_a_waiting_run_can_be_paused_resumed_intervened_and_cancelled(
    page, page_errors, log_in, screenshot
):
    log_in(page)
    run_id = start_waiting_run(page)
    page.goto(f"/runs/{run_id}/")

    expect(run_status(page)).to_have_attribute("data-status", "waiting")
    expect(page.get_by_role("region", name="Waiting for people")).to_contain_text("Go ahead?")
    expect(page.get_by_test_id("stream-state")).to_have_text("live")
    controls = page.get_by_role("group", name="Run controls")

    controls.get_by_role("button", name="Pause").click()
    expect(run_status(page)).to_have_attribute("data-status", "paused")
    controls.get_by_role("button", name="Resume").click()
    expect(run_status(page)).to_have_attribute("data-status", re.compile("running|waiting"))

    page.get_by_label("Intervention").fill("Prefer the short answer.")
    page.get_by_role("button", name="Intervene").click()
    expect(page.get_by_role("region", name="Interventions")).to_contain_text(
        "Prefer the short answer."
    )
    screenshot(page, "run-controls-waiting")

    controls.get_by_role("button", name="Cancel").click()
    expect(run_status(page)).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_role("group", name="Run controls")).to_have_count(0)
    assert page.request.get(f"/api/runs/{run_id}/").json()["status"] == "cancelled"
    assert page_errors == []


def test_a_control_that_no_longer_applies_shows_the_servers_409(page, page_errors, log_in):
    log_in(page)
    run_id = start_waiting_run(page)
    # Hold the run's stream so the page keeps showing the run as it was when it loaded.
    page.route_web_socket(re.compile(r"/ws/runs/"), lambda ws: None)
    page.goto(f"/runs/{run_id}/")
    expect(run_status(page)).to_have_attribute("data-status", "waiting")

    cancelled = page.request.post(f"/api/runs/{run_id}/cancel/", headers=csrf_headers(page))
    assert cancelled.ok, cancelled.text()
    page.get_by_role("group", name="Run controls").get_by_role("button", name="Pause").click()

    expect(page.get_by_role("alert")).to_have_text("a cancelled run cannot be paused")
    assert page_errors == []


def test_the_editor_shows_a_run_already_under_way_from_the_canvas_snapshot(
    page, page_errors, log_in, screenshot
):
    log_in(page)
    run_id = start_waiting_run(page)
    page.goto(f"/canvases/{canvas_id(page, 'browser-approval')}/")

    def status_of(node: str):
        return page.get_by_test_id(f"node-{node}").get_by_test_id("node-status")

    expect(status_of("review")).to_have_attribute("data-status", "waiting")
    expect(status_of("begin")).to_have_attribute("data-status", "succeeded")
    expect(status_of("interact")).to_have_attribute("data-status", "queued")
    screenshot(page, "run-editor-waiting-node")

    cancelled = page.request.post(f"/api/runs/{run_id}/cancel/", headers=csrf_headers(page))
    assert cancelled.ok, cancelled.text()
    expect(status_of("interact")).to_have_attribute("data-status", "skipped")
    expect(status_of("review")).to_have_attribute("data-status", "skipped")
    assert page_errors == []
