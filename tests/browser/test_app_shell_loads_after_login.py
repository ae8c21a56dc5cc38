"""The app shell: login, the canvas list page, logout, and the pages beside it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_sends_an_anonymous_visitor_to_the_login_page(page):
    page.goto("/")

    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_it_shows_the_baton_header_and_the_username_after_login(
    page, page_errors, baton_server, log_in, screenshot
):
    log_in(page)

    expect(page).to_have_url(baton_server.url + "/")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Baton")).to_be_visible()
    expect(header.get_by_test_id("username")).to_have_text("alice")
    expect(page.get_by_role("heading", name="Canvases")).to_be_visible()
    # The list settles: alice's canvas once the canvases API serves it, or the empty state.
    settled = page.get_by_role("link", name=baton_server.canvas_name).or_(
        page.get_by_text("No canvases yet.")
    )
    expect(settled).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    screenshot(page, "app-shell-after-login")
    assert page_errors == []


def test_it_logs_out_with_a_post_and_returns_to_the_login_page(page, page_errors, log_in):
    log_in(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(re.compile(r"/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    assert page_errors == []


def test_the_api_docs_load_for_a_logged_in_user(page, log_in):
    log_in(page)

    response = page.goto("/api/docs/")

    assert response is not None and response.status == 200
    expect(page.locator("#swagger-ui")).to_be_attached()


def test_the_admin_shows_its_login_page(page):
    response = page.goto("/admin/")

    assert response is not None and response.status == 200
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.get_by_label("Username")).to_be_visible()
