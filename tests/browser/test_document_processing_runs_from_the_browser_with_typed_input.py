"""The getting-started walkthrough in the browser: open the "Document processing" demo,
fill in the run's input in the form the run panel builds from the Begin node's input
schema, and the run goes to its approval. A required field left empty is named before
anything is sent; the values and the conversation thread are still there after a reload."""

import pytest
from playwright.sync_api import expect

from tests.browser.demo_server import (
    canvas_id,
    decide,
    wait_for_status,
)

pytestmark = pytest.mark.browser


def runs_of(page, canvas: str) -> list[dict]:
    return page.request.get(f"/api/runs/?canvas={canvas}").json()["results"]


def test_the_demo_runs_to_its_approval_with_input_typed_in_the_run_panel(
    as_demo_user, page_errors, screenshot
):
    designer = as_demo_user("designer")
    canvas = canvas_id(designer, "document-processing")
    designer.goto(f"/canvases/{canvas}/")
    designer.get_by_test_id("tab-run").click()
    panel = designer.get_by_role("region", name="Run panel")
    form = panel.get_by_test_id("run-input-form")
    document = form.get_by_label("Document")
    expect(document).to_have_value("coordinator.md")  # the schema's default
    expect(form.get_by_label("Reviewer")).to_have_value("reviewer")

    # A required field left empty is named under the field; nothing is sent.
    document.fill("")
    panel.get_by_role("button", name="Run").click()
    expect(form.locator('[data-field="input.document_id"]')).to_contain_text(
        "this field is required"
    )
    assert runs_of(designer, canvas) == []
    screenshot(designer, "run-input-required-field")

    document.press_sequentially("routing.md", delay=20)
    panel.get_by_role("button", name="Run").click()

    turn = panel.locator(".chat-turn--assistant")
    expect(turn).to_have_count(1)
    run_id = turn.get_attribute("data-run")
    current = panel.get_by_role("region", name="Current run")
    badge = current.locator(".active-run__head [data-status]")
    expect(badge).not_to_have_attribute("data-status", "unknown")
    expect(badge).to_have_attribute("data-status", "waiting")
    expect(current.get_by_role("region", name="Waiting for people")).to_contain_text(
        "from reviewer"
    )
    screenshot(designer, "run-input-waiting-for-approval")

    run = designer.request.get(f"/api/runs/{run_id}/").json()
    assert run["input"] == {"document_id": "routing.md", "reviewer": "reviewer"}
    assert run["trigger"] == "ui"
    steps = {s["step_id"]: s for s in run["steps"]}
    assert steps["extract"]["status"] == "succeeded"
    assert steps["extract"]["output"]["title"]  # routing.md was read
    assert steps["review"]["status"] == "waiting"

    # After a reload: the thread is there, and the form remembers what was sent.
    designer.reload()
    designer.get_by_test_id("tab-run").click()
    panel = designer.get_by_role("region", name="Run panel")
    expect(panel.locator(f'.chat-turn--assistant[data-run="{run_id}"]')).to_be_visible()
    expect(panel.get_by_test_id("turn-input")).to_have_text(
        "document_id: routing.md · reviewer: reviewer"
    )
    expect(panel.get_by_test_id("run-input-form").get_by_label("Document")).to_have_value(
        "routing.md"
    )

    # The reviewer approves; the designer's thread shows the run finish, live.
    reviewer = as_demo_user("reviewer")
    decide(reviewer, run_id, approve=True)
    badge = panel.get_by_role("region", name="Current run").locator(
        ".active-run__head [data-status]"
    )
    expect(badge).to_have_attribute("data-status", "succeeded", timeout=60_000)
    assert wait_for_status(designer, run_id, {"succeeded"})["status"] == "succeeded"
    screenshot(designer, "run-input-thread-after-reload")
    assert page_errors == []
