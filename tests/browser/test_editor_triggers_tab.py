"""The editor's Triggers tab: a schedule trigger shows its next five fire times while it is
typed and once it is saved; a webhook trigger shows its secret once; pausing hides the times."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, api_json, create_canvas_via_api, unique

pytestmark = pytest.mark.browser


def test_a_schedule_trigger_shows_its_next_five_fire_times(page, page_errors, log_in, screenshot):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = create_canvas_via_api(page, unique("Scheduled"))
    page.goto(f"/canvases/{canvas_id}/")
    page.get_by_test_id("tab-triggers").click()
    expect(page.get_by_test_id("triggers-panel")).to_contain_text("No triggers yet")

    page.get_by_test_id("trigger-name").fill("Morning digest")
    page.get_by_test_id("trigger-cron").fill("30 6 * * MON-FRI")
    page.get_by_test_id("trigger-timezone").fill("Europe/Berlin")
    preview = page.get_by_test_id("trigger-preview").locator("li")
    expect(preview).to_have_count(5)
    expect(preview.first).to_contain_text("06:30")

    page.get_by_test_id("trigger-cron").fill("30 6 * *")
    expect(page.get_by_test_id("new-trigger-form")).to_contain_text("has 4 fields")
    page.get_by_test_id("trigger-cron").fill("30 6 * * MON-FRI")
    expect(preview).to_have_count(5)
    page.get_by_test_id("trigger-create").click()
    expect(page.get_by_test_id("triggers-panel").locator("li.trigger")).to_have_count(1)

    (saved,) = api_json(page, "GET", f"/api/triggers/?canvas={canvas_id}")["results"]
    item = page.get_by_test_id(f"trigger-{saved['id']}")
    times = item.get_by_test_id("trigger-next-fire-times").locator("li")
    expect(times).to_have_count(5)
    for index in range(5):
        expect(times.nth(index)).to_contain_text("06:30")
        expect(times.nth(index)).not_to_contain_text("Sat")
    screenshot(page, "editor-triggers-schedule")

    item.get_by_test_id("trigger-toggle-pause").click()
    expect(item.get_by_test_id("trigger-paused")).to_be_visible()
    expect(item.get_by_test_id("trigger-next-fire-times")).to_have_count(0)
    assert api_json(page, "GET", f"/api/triggers/{saved['id']}/")["paused"] is True

    page.get_by_test_id("trigger-kind").select_option("webhook")
    page.get_by_test_id("trigger-name").fill("Invoices")
    page.get_by_test_id("trigger-query").fill("invoice {{ payload.id }}")
    page.get_by_test_id("trigger-create").click()
    secret = page.get_by_test_id("trigger-secret")
    expect(secret).to_contain_text("whsec_")
    screenshot(page, "editor-triggers-webhook-secret")

    page.reload()
    page.get_by_test_id("tab-triggers").click()
    expect(page.get_by_test_id("triggers-panel")).to_contain_text("Invoices")
    expect(page.get_by_test_id("trigger-secret")).to_have_count(0)  # shown once only
    assert page_errors == []
