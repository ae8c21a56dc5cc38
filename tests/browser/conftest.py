"""Browser tests: Debian's Chromium driven by Playwright against a real daphne server.

pytest-django's live_server speaks no websockets, so `baton_server` starts daphne in a
subprocess against a throwaway SQLite database (embedded mode), with one user (alice)
and one canvas. Nothing here touches the test process's own database.

The Playwright fixtures are package-scoped on purpose: while Playwright's sync API is
started, the main thread has a running asyncio loop, and Django refuses ORM calls from
such a thread. Stopping Playwright after tests/browser/ keeps the rest of the suite sane.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import CHROMIUM, CHROMIUM_ARGS, ROOT, serve

ARTIFACTS = ROOT / "test-artifacts"

SETUP_SCRIPT = """
import os

import django

django.setup()

from django.contrib.auth.models import User

from canvas.models import Canvas

alice = User.objects.create_user("alice", "alice@example.com", os.environ["BATON_SETUP_PASSWORD"])
canvas = Canvas.objects.create(name="Browser test canvas", slug="browser-test", owner=alice)

# Run tests (tests/browser/test_run_*.py): the three demo python agents and a saved
# Begin → Coordinator (3 sub-agents) → Interact canvas; found by slug through the API.
from canvas.models import Agent
from canvas.services import save_version
from demo.management.commands.seed_demo import DEMO_AGENTS, docs_assistant_graph

for spec in DEMO_AGENTS:
    if spec["slug"] in ("search-docs", "workspace-stats", "summarize-text"):
        Agent.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "capabilities": spec["capabilities"],
                "kind": "python",
                "kind_config": {"callable": "demo.agents." + spec["callable"]},
                "priority": spec["priority"],
                "shared_with_all_teams": True,  # as seed_demo shares them
            },
        )
docs = Canvas.objects.create(name="Browser docs assistant", slug="browser-docs-assistant", owner=alice)
save_version(docs, docs_assistant_graph(), alice, "Begin → Coordinator (3 sub-agents) → Interact")
# ... and Begin → Human approval (alice) → Interact: a run that waits, for the run controls.
approval_graph = {
    "nodes": [
        {"id": "begin", "type": "begin", "position": {"x": 0, "y": 0},
         "data": {"label": "Begin", "config": {}}},
        {"id": "review", "type": "human_approval", "position": {"x": 300, "y": 0},
         "data": {"label": "Review", "config": {"prompt": "Go ahead?", "assignee": "alice"}}},
        {"id": "interact", "type": "interact", "position": {"x": 600, "y": 0},
         "data": {"label": "Answer", "config": {}}},
    ],
    "edges": [
        {"id": "e1", "source": "begin", "sourceHandle": "out", "target": "review", "targetHandle": "in"},
        {"id": "e2", "source": "review", "sourceHandle": "out", "target": "interact", "targetHandle": "in"},
    ],
    "viewport": {"x": 0, "y": 0, "zoom": 1},
}
gated = Canvas.objects.create(name="Browser approval flow", slug="browser-approval", owner=alice)
save_version(gated, approval_graph, alice, "Begin → Human approval → Interact")

# The agent workbench (tests/browser/test_admin_*.py): a staff curator and two agents whose
# descriptions overlap on purpose.
User.objects.create_superuser("curator", "curator@example.com", os.environ["BATON_SETUP_PASSWORD"])
Agent.objects.create(
    slug="billing", name="Billing",
    description="Finds invoices and payments for customers and explains the charges on a bill. "
    "Not for refunds.",
    shared_with_all_teams=True,
)
Agent.objects.create(
    slug="refunds", name="Refunds",
    description="Handles refunds of invoices and payments for customers who were charged twice.",
    shared_with_all_teams=True,
)

print(canvas.pk)
"""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium through Playwright against daphne"
    )
    from playwright.sync_api import expect

    # An expectation waits as long as an action does (the pages' default timeout below):
    # Playwright's 5 s is short for a page on a machine that runs several test processes.
    expect.set_options(timeout=15_000)


@dataclass(frozen=True)
class BatonServer:
    url: str
    username: str
    password: str
    canvas_id: str
    canvas_name: str


def require_frontend() -> None:
    if not (ROOT / "static" / "dist" / "app.js").exists():
        pytest.skip("static/dist/app.js is missing: build the frontend first (make frontend)")


@pytest.fixture(scope="session")
def baton_server(tmp_path_factory):
    require_frontend()
    tmp = tmp_path_factory.mktemp("baton-server")
    with serve(tmp, [("-c", SETUP_SCRIPT)]) as (url, password, output):
        canvas_id = output.strip().splitlines()[-1]
        yield BatonServer(url, "alice", password, canvas_id, "Browser test canvas")


@pytest.fixture(scope="package")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors of the test's page; tests assert it stays empty."""
    return []


@pytest.fixture
def page(chromium, baton_server, page_errors):
    """A page in a fresh browser context (no cookies), addressed relative to the server."""
    context = chromium.new_context(
        base_url=baton_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def log_in(baton_server):
    """log_in(page, next_path="/"): sign in as alice through the login form."""

    def log_in(page, next_path: str = "/") -> None:
        page.goto(f"/login/?next={next_path}")
        page.get_by_label("Username").fill(baton_server.username)
        page.get_by_label("Password").fill(baton_server.password)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()

    return log_in


@pytest.fixture
def screenshot():
    """screenshot(page, name): save test-artifacts/<name>.png (git-ignored) and return its path."""

    def screenshot(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return screenshot


# Journeys through the seeded demo (a server of their own per module): tests/browser/demo_server.py
from tests.browser.demo_server import as_demo_user, demo_server  # noqa: E402, F401
