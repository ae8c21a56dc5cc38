"""The runs page (/runs/): every run the user may see across canvases, filtered by status,
canvas, how it was started and a search, with live status; a failed run is retried from
the step that failed, reusing what succeeded, as a new run linked to the old one.

The journey uses the demo: a Document processing run whose summary the reviewer rejects
fails at its review step; its retry keeps the extraction and the summary, asks the
reviewer again and, approved, publishes."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.demo_server import (
    canvas_id,
    csrf,
    decide,
    wait_for_status,
)

pytestmark = pytest.mark.browser


def start(page, slug: str, **body) -> str:
    response = page.request.post(
        f"/api/canvases/{canvas_id(page, slug)}/runs/", data=body, headers=csrf(page)
    )
    assert response.status == 202, response.text()
    return response.json()["id"]


def test_the_runs_page_filters_runs_and_retries_a_failed_one_from_its_failed_step(
    as_demo_user, page_errors, screenshot
):
    designer = as_demo_user("designer")
    reviewer = as_demo_user("reviewer")
    answered = start(designer, "docs-assistant", query="How many canvases are there?")
    rejected = start(designer, "document-processing", input={"document_id": "triggers.md"})
    wait_for_status(designer, rejected, {"waiting"})
    decide(reviewer, rejected, approve=False)
    assert wait_for_status(designer, rejected, {"failed"})["status"] == "failed"
    assert wait_for_status(designer, answered, {"succeeded"})["status"] == "succeeded"

    designer.goto("/runs/")
    table = designer.get_by_test_id("runs-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator(f'tr[data-run="{answered}"]')).to_contain_text("Docs assistant")
    expect(table.locator(f'tr[data-run="{rejected}"] [data-testid="run-source"]')).to_have_text(
        "ui"
    )

    designer.get_by_test_id("filter-status").select_option("failed")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_attribute("data-run", rejected)
    designer.get_by_test_id("filter-status").select_option("")
    designer.get_by_test_id("filter-canvas").select_option(label="Docs assistant")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_attribute("data-run", answered)
    designer.get_by_test_id("filter-canvas").select_option("")
    designer.get_by_test_id("filter-source").select_option("cli")
    expect(designer.get_by_text("No runs match.")).to_be_visible()
    designer.get_by_test_id("filter-source").select_option("")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    designer.get_by_test_id("filter-from").fill(tomorrow)
    expect(designer.get_by_text("No runs match.")).to_be_visible()
    designer.get_by_test_id("filter-from").fill("")
    designer.get_by_test_id("filter-to").fill(date.today().isoformat())  # "to" includes today
    expect(table.locator("tbody tr")).to_have_count(2)
    designer.get_by_test_id("filter-search").fill("canvases are")
    designer.get_by_test_id("filter-search").press("Enter")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_attribute("data-run", answered)
    designer.get_by_test_id("filter-search").fill("")
    designer.get_by_test_id("filter-search").press("Enter")
    expect(table.locator("tbody tr")).to_have_count(2)
    screenshot(designer, "runs-page-all")

    # Retry the rejected run from its failed step: a new run, linked both ways, live.
    old_row = table.locator(f'tr[data-run="{rejected}"]')
    old_row.get_by_test_id("retry-run").click()
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(old_row.get_by_test_id("retried-as")).to_be_visible()
    retry_id = designer.request.get(f"/api/runs/{rejected}/").json()["retries"][0]
    new_row = table.locator(f'tr[data-run="{retry_id}"]')
    expect(new_row.get_by_test_id("retried-from")).to_contain_text(rejected[:8])
    expect(new_row.get_by_test_id("run-source")).to_have_text("retry")
    expect(new_row).to_have_attribute("data-status", "waiting")
    retry = designer.request.get(f"/api/runs/{retry_id}/").json()
    old = designer.request.get(f"/api/runs/{rejected}/").json()
    steps = {s["step_id"]: s for s in retry["steps"]}
    before = {s["step_id"]: s for s in old["steps"]}
    for reused in ("extract", "summarize"):  # the same outputs, not produced again
        assert steps[reused]["status"] == "succeeded"
        assert steps[reused]["output"] == before[reused]["output"]
        assert steps[reused]["finished_at"] == before[reused]["finished_at"]
    assert steps["review"]["status"] == "waiting"
    screenshot(designer, "runs-page-retried")

    decide(reviewer, retry_id, approve=True)
    expect(new_row).to_have_attribute("data-status", "succeeded", timeout=60_000)  # no reload

    designer.goto(f"/runs/{retry_id}/")
    expect(designer.get_by_test_id("retried-from")).to_have_text(rejected)
    designer.goto(f"/runs/{rejected}/")
    expect(designer.get_by_test_id("retried-as")).to_have_text(retry_id)
    screenshot(designer, "run-page-retried-as")

    # Tenancy: the staff admin has no share in the demo team's canvases and sees no runs.
    admin = as_demo_user("admin", "/runs/")
    expect(admin.get_by_text("No runs match.")).to_be_visible()
    assert page_errors == []
