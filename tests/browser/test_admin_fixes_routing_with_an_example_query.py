"""An admin opens an agent, sees the overlap warning, adds an example query, previews the
routing and sees it change — on the change form (unsaved) and on the preview page."""

import pytest

pytestmark = pytest.mark.browser

QUERY = "Money back for a double charge"


def log_in_as_curator(page, baton_server):
    page.goto("/admin/login/?next=/admin/canvas/agent/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", baton_server.password)
    with page.expect_navigation():
        page.click("input[type=submit]")


def test_an_example_query_moves_a_query_to_the_right_agent(
    page, baton_server, screenshot, page_errors
):
    log_in_as_curator(page, baton_server)
    page.get_by_role("link", name="refunds", exact=True).click()

    overlap = page.locator("#wb-check [data-code=overlap]")
    overlap.wait_for()
    assert "Overlaps with billing" in overlap.inner_text()
    assert "Fix: Say how it differs from billing" in overlap.inner_text()
    screenshot(page, "admin-agent-overlap-warning")

    page.fill("#wb-try-query", QUERY)
    page.click("#wb-try-run")
    result = page.locator("#wb-try-result .wb-route-result")
    result.wait_for()
    assert result.inner_text() == "Level LOW → billing"

    page.fill("#id_examples", "I want my money back")
    page.click("#wb-try-run")
    page.wait_for_function(
        "document.querySelector('#wb-try-result .wb-route-result')"
        ".textContent === 'Level LOW → refunds'"
    )
    screenshot(page, "admin-agent-example-changes-routing")

    with page.expect_navigation():
        page.click("input[name=_continue]")
    assert page.locator("#id_examples").input_value() == "I want my money back"

    page.get_by_role("link", name="Routing preview").first.click()
    page.fill("#id_query", QUERY)
    with page.expect_navigation():
        page.click("#wb-preview-run")
    chosen = page.locator("td.wb-chosen[data-strategy=capability_based]")
    assert chosen.inner_text() == "refunds"
    assert page.locator("#wb-level").inner_text() == "LOW"
    screenshot(page, "admin-routing-preview")
    assert page_errors == []


def test_the_agent_list_shows_usage_columns_and_description_badges(
    page, baton_server, screenshot, page_errors
):
    log_in_as_curator(page, baton_server)
    headers = page.locator("#result_list thead th").all_inner_texts()
    for column in ("CALLS 7D/30D", "OK 7D/30D", "P50 7D/30D", "COST 7D/30D", "CHECK"):
        assert column in [h.strip().upper() for h in headers]
    refunds = page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name="refunds", exact=True)
    )
    assert refunds.locator(".wb-badge").inner_text().endswith("to fix")  # overlaps billing
    assert "0/0" in refunds.inner_text()
    page.click("#toggle-nav-sidebar")  # the list is wide: give it the page
    screenshot(page, "admin-agent-list")
    assert page_errors == []
