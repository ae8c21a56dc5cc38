"""Running a canvas from the browser: the run panel streams the five phases live, the canvas
nodes change colour, the answer arrives, and the run page shows the record with a Gantt chart.

The canvas is "Browser docs assistant" (conftest SETUP_SCRIPT): Begin → Coordinator with the
three demo python agents → Interact, run by the built-in offline model.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

DOCS_CANVAS = "browser-docs-assistant"
QUERY = "How does the coordinator choose agents, and how many canvases exist?"
FIVE_PHASES = ["complexity", "selection", "planning", "execution", "synthesis"]


def docs_canvas_id(page) -> str:
    response = page.request.get("/api/canvases/?limit=200")
    assert response.ok, response.text()
    canvases = response.json()["results"]
    return next(c["id"] for c in canvases if c["slug"] == DOCS_CANVAS)


def csrf_headers(page) -> dict[str, str]:
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": token}


def start_run(page, canvas_id: str, query: str = QUERY) -> dict:
    response = page.request.post(
        f"/api/canvases/{canvas_id}/runs/", data={"query": query}, headers=csrf_headers(page)
    )
    assert response.status == 202, response.text()
    return response.json()


def wait_for_run_to_end(page, run_id: str) -> dict:
    for _ in range(150):
        run = page.request.get(f"/api/runs/{run_id}/").json()
        if run["status"] in ("succeeded", "failed", "cancelled", "timed_out"):
            return run
        page.wait_for_timeout(100)
    raise AssertionError(f"run {run_id} did not end")


def expect_phases_completed(scope) -> None:
    for phase in FIVE_PHASES:
        entry = scope.locator(f'[data-phase="{phase}"]')
        expect(entry).to_have_attribute("data-state", "completed", timeout=20_000)
        expect(entry.get_by_test_id("phase-duration")).to_have_text(re.compile(r"\d.*(ms|s)$"))


def test_the_run_page_shows_the_record_with_phases_answer_and_gantt_bars(
    page, page_errors, log_in, screenshot
):
    log_in(page)
    canvas_id = docs_canvas_id(page)
    run = wait_for_run_to_end(page, start_run(page, canvas_id)["id"])
    assert run["status"] == "succeeded", run

    page.goto(f"/runs/{run['id']}/")

    main = page.get_by_role("main", name="Run record")
    expect(main.locator(".run-page__title [data-status]")).to_have_attribute(
        "data-status", "succeeded"
    )
    expect(main.get_by_role("heading", name=QUERY)).to_be_visible()
    expect_phases_completed(main)
    expect(main.locator('[data-phase="complexity"]')).to_contain_text("Level")
    expect(main.locator('[data-phase="planning"]')).to_contain_text("Pattern")
    answer = main.get_by_test_id("run-answer")
    # each part under its own heading (Markdown rendered, not shown raw)
    expect(answer.get_by_role("heading", name="How many canvases exist?")).to_be_visible()
    expect(answer).to_contain_text("(From ")
    expect(main.get_by_test_id("run-usage")).to_contain_text("tokens")

    gantt = main.get_by_test_id("gantt")
    bars = gantt.locator("rect.gantt__bar")
    expect(bars.first).to_be_visible()
    assert bars.count() >= 3  # the coordinator and at least two stages
    assert set(bars.evaluate_all("els => els.map(e => e.dataset.status)")) == {"succeeded"}
    # stage bars lie inside the coordinator's bar on the shared axis
    xs = bars.evaluate_all("els => els.map(e => [+e.getAttribute('x'), +e.getAttribute('width')])")
    coord_x, coord_w = xs[0]
    assert all(coord_x <= x and x + w <= coord_x + coord_w + 1 for x, w in xs[1:]), xs

    expect(main.get_by_role("link", name="Download Markdown")).to_have_attribute(
        "href", f"/api/runs/{run['id']}/result/?format=markdown"
    )
    steps = main.locator(".step-list > li")
    expect(steps).to_have_count(len(run["steps"]))
    steps.first.get_by_text("Output", exact=True).click()
    expect(steps.first.locator("pre")).to_contain_text("answer")
    expect(page.get_by_role("complementary", name="Other runs of this canvas")).to_contain_text(
        QUERY
    )
    screenshot(page, "run-page")
    assert page_errors == []


def test_a_query_in_the_run_panel_streams_phases_colours_nodes_and_answers(
    page, page_errors, log_in, screenshot
):
    log_in(page)
    canvas_id = docs_canvas_id(page)
    page.goto(f"/canvases/{canvas_id}/")
    expect(page.get_by_test_id("node-coordinator")).to_be_visible()
    page.get_by_test_id("tab-run").click()
    panel = page.get_by_role("region", name="Run panel")
    expect(panel).to_be_visible()

    panel.get_by_label("Query").fill(QUERY)
    panel.get_by_role("button", name="Run", exact=True).click()

    current = panel.get_by_role("region", name="Current run")
    expect_phases_completed(current)
    expect(current.locator('[data-phase="selection"]')).to_contain_text("Chosen")
    expect(current.locator(".active-run__head [data-status]")).to_have_attribute(
        "data-status", "succeeded", timeout=20_000
    )
    answer = panel.locator(".chat-turn--assistant .markdown")
    expect(answer.get_by_role("heading", name="How many canvases exist?")).to_be_visible()
    expect(panel.locator(".chat-turn--user")).to_have_text(QUERY)
    expect(current.get_by_test_id("run-usage")).to_contain_text("tokens")

    coordinator = page.get_by_test_id("node-coordinator").get_by_test_id("node-status")
    expect(coordinator).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("node-search-docs").get_by_test_id("node-status")).to_have_attribute(
        "data-status", "succeeded"
    )
    expect(page.get_by_test_id("node-interact").get_by_test_id("node-status")).to_have_attribute(
        "data-status", "succeeded"
    )
    screenshot(page, "run-panel-answer")
    current.locator('[data-phase="complexity"]').scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "run-panel-timeline.png"))

    # A follow-up continues the same conversation.
    first_run = current.get_attribute("data-run")
    panel.get_by_label("Query").fill("what is its default?")
    panel.get_by_role("button", name="Run", exact=True).click()
    expect(panel.locator(".chat-turn--user")).to_have_count(2)
    expect(
        panel.locator(".chat-turn--assistant").nth(1).locator("[data-status]").first
    ).to_have_attribute("data-status", re.compile("succeeded|failed"), timeout=20_000)
    second_run = panel.get_by_role("region", name="Current run").get_attribute("data-run")
    assert second_run != first_run
    first = page.request.get(f"/api/runs/{first_run}/").json()
    second = page.request.get(f"/api/runs/{second_run}/").json()
    assert first["conversation"] and second["conversation"] == first["conversation"]

    with page.expect_navigation():
        panel.get_by_role("link", name="Open run page").click()
    expect(page.get_by_test_id("gantt").locator("rect.gantt__bar").first).to_be_visible()
    screenshot(page, "run-page-from-panel")
    assert page_errors == []


def test_the_history_tab_lists_runs_and_filters_by_status(page, page_errors, log_in):
    log_in(page)
    canvas_id = docs_canvas_id(page)
    wait_for_run_to_end(page, start_run(page, canvas_id, "how many agents are enabled?")["id"])
    page.goto(f"/canvases/{canvas_id}/")
    page.get_by_test_id("tab-run").click()
    panel = page.get_by_role("region", name="Run panel")

    panel.get_by_role("tab", name="History").click()
    history = panel.get_by_role("region", name="Run history")
    expect(history.locator("li").first).to_be_visible()
    expect(history).to_contain_text("how many agents are enabled?")

    history.get_by_label("Status").select_option("failed")
    expect(history).to_contain_text("No runs with status failed")
    history.get_by_label("Status").select_option("succeeded")
    expect(history.locator("li").first).to_be_visible()

    history.get_by_role("button", name="Show here").first.click()
    expect(panel.get_by_role("region", name="Current run")).to_be_visible()
    expect_phases_completed(panel.get_by_role("region", name="Current run"))
    assert page_errors == []


def test_the_run_panel_warns_that_runs_use_the_saved_version_while_edits_are_unsaved(
    page, page_errors, log_in
):
    log_in(page)
    page.goto(f"/canvases/{docs_canvas_id(page)}/")
    page.get_by_test_id("tab-run").click()
    panel = page.get_by_role("region", name="Run panel")
    expect(panel.get_by_label("Query")).to_be_enabled()
    expect(panel.get_by_test_id("unsaved-warning")).to_have_count(0)

    node = page.get_by_test_id("node-begin").bounding_box()
    assert node is not None
    page.mouse.move(node["x"] + 40, node["y"] + 12)
    page.mouse.down()
    page.mouse.move(node["x"] + 90, node["y"] + 60, steps=5)
    page.mouse.up()

    expect(panel.get_by_test_id("unsaved-warning")).to_contain_text("saved version (v1)")
    assert page_errors == []


def test_a_dropped_run_stream_resumes_after_the_last_seq_it_saw(page, page_errors, log_in):
    log_in(page)
    run = wait_for_run_to_end(page, start_run(page, docs_canvas_id(page))["id"])
    urls: list[str] = []

    def cut_the_first_connection_after_five_events(ws):
        urls.append(ws.url)
        server = ws.connect_to_server()
        if len(urls) > 1:
            return  # later connections pass through untouched
        sent = {"n": 0}

        def forward(message):
            if sent["n"] < 5:
                ws.send(message)
                sent["n"] += 1
                if sent["n"] == 5:
                    ws.close(code=1011, reason="test drops the stream")

        server.on_message(forward)

    page.route_web_socket(re.compile(r"/ws/runs/"), cut_the_first_connection_after_five_events)
    page.goto(f"/runs/{run['id']}/")

    main = page.get_by_role("main", name="Run record")
    expect(main.locator(".run-page__title [data-status]")).to_have_attribute(
        "data-status", "succeeded"
    )
    expect_phases_completed(main)
    assert urls[0].endswith("?after=0"), urls
    assert urls[1].endswith("?after=5"), urls
    # nothing applied twice: one entry per phase and per stage
    for phase in FIVE_PHASES:
        expect(main.locator(f'[data-phase="{phase}"]')).to_have_count(1)
    stages = [s for s in run["steps"] if s["parent"]]
    expect(main.locator(".step-stream__item")).to_have_count(len(stages))
    assert page_errors == []
