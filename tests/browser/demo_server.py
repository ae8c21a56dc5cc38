"""A server seeded by `manage.py seed_demo` (the demo users designer, reviewer and admin,
the demo agents and canvases), and signed-in pages on it, for journeys through the demo.
Each test module that uses it gets a server of its own."""

from contextlib import contextmanager

import pytest

from tests.browser.conftest import require_frontend
from tests.servers import serve

SETUP = """
import os

import django

django.setup()

os.environ["BATON_DEMO_PASSWORD"] = os.environ["BATON_SETUP_PASSWORD"]
os.environ["BATON_ADMIN_PASSWORD"] = os.environ["BATON_SETUP_PASSWORD"]
from django.core.management import call_command

call_command("seed_demo")
print("ok")
"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    require_frontend()
    tmp = tmp_path_factory.mktemp("demo-server")
    with serve(tmp, [("-c", SETUP)]) as (url, password, _):
        yield {"url": url, "password": password, "media": tmp / "media"}


@contextmanager
def pages_signed_in(chromium, server: dict, page_errors: list, viewport: dict):
    """Yields open_as(name, path="/"): a page signed in on `server` ({"url", "password"})
    as that user, each in a browser context of its own, closed at the end."""
    contexts = []

    def open_as(username: str, path: str = "/"):
        context = chromium.new_context(base_url=server["url"], viewport=viewport)
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: page_errors.append(f"{username}: {error}"))
        page.goto(f"/login/?next={path}")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(server["password"])
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        return page

    try:
        yield open_as
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def as_demo_user(chromium, demo_server, page_errors):
    """as_demo_user(name, path="/"): a page signed in as a demo user, in its own context."""
    with pages_signed_in(
        chromium, demo_server, page_errors, {"width": 1440, "height": 900}
    ) as open_as:
        yield open_as


def canvas_id(page, slug: str) -> str:
    canvases = page.request.get("/api/canvases/?limit=200").json()["results"]
    return next(c["id"] for c in canvases if c["slug"] == slug)


def csrf(page) -> dict[str, str]:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": token}


def wait_for_status(page, run_id: str, statuses) -> dict:
    for _ in range(600):
        run = page.request.get(f"/api/runs/{run_id}/").json()
        if run["status"] in statuses:
            return run
        page.wait_for_timeout(100)
    raise AssertionError(f"run {run_id} stayed {run['status']}")


def decide(page, run_id: str, approve: bool) -> None:
    """The signed-in reviewer decides the run's pending approval (through the API)."""
    items = page.request.get("/api/approvals/?status=pending").json()["results"]
    item = next(i for i in items if i["run"] == run_id)
    response = page.request.post(
        f"/api/approvals/{item['id']}/decide/",
        data={"approve": approve, "comment": "" if approve else "The summary misses the point."},
        headers=csrf(page),
    )
    assert response.ok, response.text()
