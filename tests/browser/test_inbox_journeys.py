"""The reviewer's inbox in two browsers: the designer starts runs, the reviewer, already on
/inbox/, sees items arrive and the badge rise without reloading, claims, approves with an
edit, reviews a plan, and nothing a user or an agent wrote runs as HTML.

A server of its own (seed_demo's users, canvases and agents, plus a plan-review copy of the
docs assistant and a canvas whose prompt and output carry HTML), so the shared server's data
stays as its tests expect.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import require_frontend
from tests.browser.demo_server import canvas_id, pages_signed_in
from tests.servers import serve

pytestmark = pytest.mark.browser

SETUP = """
import os

import django

django.setup()

os.environ["BATON_DEMO_PASSWORD"] = os.environ["BATON_SETUP_PASSWORD"]
os.environ["BATON_ADMIN_PASSWORD"] = os.environ["BATON_SETUP_PASSWORD"]
from django.contrib.auth.models import Group, User
from django.core.management import call_command

call_command("seed_demo")

from canvas.graph import plan_to_graph
from canvas.models import Canvas
from canvas.plan import Plan
from canvas.services import save_version
from demo.management.commands.seed_demo import docs_assistant_graph

designer = User.objects.get(username="designer")
team = Group.objects.get(name="demo-team")
graph = docs_assistant_graph()
for node in graph["nodes"]:
    if node["type"] == "coordinator":
        node["data"]["config"].update(review_plan=True, plan_reviewer="reviewer")
reviewed = Canvas.objects.create(
    name="Docs assistant (plan review)", slug="docs-assistant-reviewed", owner=designer, team=team
)
save_version(reviewed, graph, designer, "Docs assistant whose plans a reviewer approves")

html = Plan.model_validate({
    "name": "html",
    "steps": [
        {"id": "draft", "type": "transform",
         "output": {"text": "<img src=x onerror=\\"window.__xss='output'\\"> **draft** ready"}},
        {"id": "review", "type": "human_approval", "depends_on": ["draft"], "assignee": "reviewer",
         "prompt": "<script>window.__xss='prompt'</script> Check <img src=x onerror=\\"window.__xss='img'\\">"},
    ],
})
graph = plan_to_graph(html)
graph = graph.model_dump(mode="json") if hasattr(graph, "model_dump") else graph
tricky = Canvas.objects.create(name="HTML <b>canvas</b>", slug="html-canvas", owner=designer, team=team)
save_version(tricky, graph, designer, "prompt and output carry HTML")
print("ok")
"""


@pytest.fixture(scope="module")
def inbox_server(tmp_path_factory):
    require_frontend()
    tmp = tmp_path_factory.mktemp("inbox-server")
    with serve(tmp, [("-c", SETUP)]) as (url, password, _):
        yield {"url": url, "password": password, "media": tmp / "media"}


@pytest.fixture
def as_user(chromium, inbox_server, page_errors):
    """as_user(name, path): a signed-in page in its own browser context."""
    with pages_signed_in(
        chromium, inbox_server, page_errors, {"width": 1360, "height": 900}
    ) as open_as:
        yield open_as


def start_run(page, slug: str, **body) -> str:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/api/canvases/{canvas_id(page, slug)}/runs/", data=body, headers={"X-CSRFToken": token}
    )
    assert response.status == 202, response.text()
    return response.json()["id"]


def wait_for_status(page, run_id: str, statuses) -> dict:
    for _ in range(300):
        run = page.request.get(f"/api/runs/{run_id}/").json()
        if run["status"] in statuses:
            return run
        page.wait_for_timeout(100)
    raise AssertionError(f"run {run_id} stayed {run['status']}")


def test_a_reviewer_approves_document_processing_with_an_edit_while_the_designer_watches(
    as_user, inbox_server, page_errors, screenshot
):
    reviewer = as_user("reviewer", "/inbox/")
    expect(reviewer.get_by_test_id("inbox-empty")).to_be_visible()
    expect(reviewer.get_by_test_id("inbox-badge")).to_have_count(0)

    designer = as_user("designer")
    run_id = start_run(
        designer,
        "document-processing",
        input={"document_id": "coordinator.md", "reviewer": "reviewer"},
    )
    # The designer follows the run in the editor's run panel (History → Show here).
    designer.goto(f"/canvases/{canvas_id(designer, 'document-processing')}/")
    designer.get_by_test_id("tab-run").click()
    panel = designer.get_by_role("region", name="Run panel")
    panel.get_by_role("tab", name="History").click()
    panel.get_by_role("button", name="Show here").click()
    current = panel.get_by_role("region", name="Current run")
    status = current.locator(".active-run__head [data-status]")
    expect(status).to_have_attribute("data-status", "waiting")
    expect(current.get_by_role("region", name="Waiting for people")).to_contain_text(
        "from reviewer"
    )

    # The item arrives live: no reload on the reviewer's side.
    row = reviewer.get_by_test_id("inbox-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Review the summary")
    expect(row).to_contain_text("Document processing")
    expect(row).to_contain_text("by designer")
    expect(reviewer.get_by_test_id("inbox-badge")).to_have_text("1")
    screenshot(reviewer, "inbox-item-arrived")

    row.click()
    pane = reviewer.get_by_test_id("item-pane")
    expect(pane.get_by_role("heading", name=re.compile("Review the summary"))).to_be_visible()
    expect(pane.get_by_test_id("output-summarize")).to_contain_text("under review")
    pane.get_by_test_id("claim").click()
    expect(pane.get_by_test_id("claimed-by")).to_contain_text("Claimed by you")

    pane.get_by_test_id("action-edit").click()
    summary = pane.get_by_test_id("edit-summarize-summary")
    original = summary.input_value()
    assert original.strip()
    summary.fill(original + "\nReviewed: the figures were checked by the reviewer.")
    pane.get_by_test_id("decision-comment").fill("Approved; added a note on the figures.")
    screenshot(reviewer, "inbox-editing")
    pane.get_by_test_id("action-edit").click()
    expect(pane.get_by_test_id("decided")).to_contain_text("approved by reviewer")
    expect(pane.get_by_test_id("item-history")).to_contain_text("approved with edits")
    expect(pane.get_by_test_id("edit-diff")).to_contain_text("Reviewed: the figures were checked")
    expect(reviewer.get_by_test_id("inbox-badge")).to_have_count(0)
    screenshot(reviewer, "inbox-decided")

    # The designer's run panel: the run finishes, the decision and its edit are in the timeline.
    expect(status).to_have_attribute("data-status", "succeeded")
    decisions = current.get_by_test_id("run-decisions")
    expect(decisions).to_contain_text("reviewer claimed review")
    expect(decisions).to_contain_text("reviewer approved with edits review")
    expect(decisions).to_contain_text("Approved; added a note on the figures.")
    expect(decisions.get_by_test_id("edit-diff")).to_contain_text(
        "Reviewed: the figures were checked by the reviewer."
    )
    screenshot(designer, "run-panel-decision-timeline")
    designer.goto(f"/runs/{run_id}/")
    expect(designer.get_by_test_id("run-decisions")).to_contain_text("approved with edits")
    screenshot(designer, "run-page-decision-timeline")

    published = list((inbox_server["media"] / "published").glob("*.md"))
    assert len(published) == 1
    assert "Reviewed: the figures were checked by the reviewer." in published[0].read_text()
    assert page_errors == []


def test_a_reviewer_drops_an_agent_from_the_plan_and_only_the_rest_run(
    as_user, page_errors, screenshot
):
    reviewer = as_user("reviewer", "/inbox/")
    designer = as_user("designer")
    run_id = start_run(
        designer,
        "docs-assistant-reviewed",
        query="How does the coordinator choose agents, and how many canvases exist?",
    )
    wait_for_status(designer, run_id, ("waiting",))

    reviewer.get_by_test_id("inbox-row").filter(has_text="plan review").click()
    pane = reviewer.get_by_test_id("item-pane")
    plan = pane.get_by_test_id("plan")
    expect(plan.get_by_test_id("plan-agent").first).to_be_visible()
    stages = plan.locator(".inbox-plan__stage").evaluate_all(
        "els => els.map(e => [e.dataset.testid.slice(11), e.querySelector('.chip').textContent])"
    )
    agents = [agent for _, agent in stages]
    assert "workspace-stats" in agents and len(agents) >= 2, agents
    dropped = next(stage for stage, agent in stages if agent == "workspace-stats")
    pane.get_by_test_id("action-edit").click()
    plan.get_by_test_id(f"drop-stage-{dropped}").click()
    expect(plan.locator(".inbox-plan__stage")).to_have_count(len(agents) - 1)
    screenshot(reviewer, "inbox-plan-review-edit")
    pane.get_by_test_id("action-edit").click()
    expect(pane.get_by_test_id("decided")).to_contain_text("approved by reviewer")

    run = wait_for_status(designer, run_id, ("succeeded", "failed"))
    assert run["status"] == "succeeded", run
    ran = {s["agent"] for s in run["steps"] if s["type"] == "agent"}
    assert "workspace-stats" not in ran and ran == set(agents) - {"workspace-stats"}
    designer.goto(f"/runs/{run_id}/")
    expect(designer.get_by_test_id("run-decisions")).to_contain_text(
        "reviewer approved with edits coordinator"
    )
    screenshot(designer, "run-page-plan-review")
    assert page_errors == []


def test_html_in_prompts_outputs_and_comments_stays_inert(as_user, page_errors, screenshot):
    reviewer = as_user("reviewer", "/inbox/")
    designer = as_user("designer")
    run_id = start_run(designer, "html-canvas")
    wait_for_status(designer, run_id, ("waiting",))

    # Keyboard only: ? lists the shortcuts, j selects the item, r rejects it.
    expect(
        reviewer.get_by_test_id("inbox-row").filter(has_text="HTML <b>canvas</b>")
    ).to_be_visible()
    reviewer.keyboard.press("?")
    expect(reviewer.get_by_test_id("inbox-shortcuts")).to_contain_text("approve with edits")
    reviewer.keyboard.press("Escape")
    expect(reviewer.get_by_test_id("inbox-shortcuts")).to_have_count(0)
    reviewer.keyboard.press("j")
    pane = reviewer.get_by_test_id("item-pane")
    expect(pane).to_contain_text("<script>window.__xss='prompt'</script>")
    expect(pane.get_by_test_id("output-draft")).to_contain_text("<img src=x onerror=")
    comment = "<img src=x onerror=\"window.__xss='comment'\"><script>window.__xss='c2'</script>"
    pane.get_by_test_id("decision-comment").fill(comment)
    reviewer.evaluate("document.activeElement.blur()")
    reviewer.keyboard.press("r")
    expect(pane.get_by_test_id("item-history")).to_contain_text(comment)
    screenshot(reviewer, "inbox-html-inert")

    designer.goto(f"/runs/{run_id}/")
    expect(designer.get_by_test_id("run-decisions")).to_contain_text(comment)
    for page in (reviewer, designer):
        assert page.evaluate("window.__xss") is None
        assert page.locator("main img, .inbox img").count() == 0
        assert page.locator("main script, .inbox script").count() == 0
    assert page_errors == []
