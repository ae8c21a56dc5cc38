"""Test one step: on a transform or condition node, "Test step" runs just that node with
sample input prefilled from the last run (editable JSON) and shows its input and output;
the test run stays out of the canvas's run history; a bad sample is refused by field."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import EDITOR_VIEWPORT, select_node
from tests.browser.expression_canvas import canvas_with_a_finished_run

pytestmark = pytest.mark.browser


def test_a_transform_is_tested_with_an_edited_sample_from_the_last_run(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id, run_id = canvas_with_a_finished_run(page, "Step test journey")
    page.goto(f"/canvases/{canvas_id}/")
    select_node(page, "shape")

    page.get_by_test_id("test-step-open").click()
    sample = page.get_by_test_id("test-step-sample")
    expect(sample).to_have_value(
        json.dumps({"query": "shape it", "input": {"document_id": "D-42"}, "steps": {}}, indent=2)
    )
    sample.fill(json.dumps({"query": "shape it", "input": {"document_id": "X-7"}}, indent=2))
    page.get_by_test_id("test-step-run").click()

    result = page.get_by_test_id("test-step-result")
    expect(result).to_have_attribute("data-status", "succeeded", timeout=30_000)
    output = json.loads(page.get_by_test_id("test-step-output").inner_text())
    assert output == {"title": "Doc X-7", "pages": 3}
    shown_input = json.loads(page.get_by_test_id("test-step-input").inner_text())
    assert shown_input["input"] == {"document_id": "X-7"}
    screenshot(page, "test-step-transform-output")

    runs = page.request.get(f"/api/canvases/{canvas_id}/runs/").json()
    assert [r["id"] for r in runs] == [run_id]  # the test is not in the history
    test_run_id = result.get_by_role("link", name="test run").get_attribute("href").split("/")[-2]

    # the condition after it, with the previous step's output edited in the sample
    select_node(page, "check")
    page.get_by_test_id("test-step-open").click()
    sample = page.get_by_test_id("test-step-sample")
    expect(sample).to_contain_text('"shape"')
    assert json.loads(sample.input_value())["steps"]["shape"] == {"title": "Doc D-42", "pages": 3}

    sample.fill(json.dumps({"input": {}}))
    page.get_by_test_id("test-step-run").click()
    errors = page.get_by_test_id("test-step-errors")
    expect(errors).to_contain_text("sample.input.document_id: this field is required")
    screenshot(page, "test-step-refused-sample")

    sample.fill("{not json")
    expect(page.get_by_test_id("test-step-json-error")).to_contain_text("Not valid JSON")
    expect(page.get_by_test_id("test-step-run")).to_be_disabled()

    # the Runs page lists it only when step tests are asked for, marked as one
    page.goto("/runs/")
    expect(page.locator(f'[data-run="{run_id}"]')).to_be_visible()
    expect(page.locator(f'[data-run="{test_run_id}"]')).to_have_count(0)
    page.goto("/runs/?source=test_step")
    row = page.locator(f'[data-run="{test_run_id}"]')
    expect(row.get_by_test_id("run-source")).to_have_text("test_step")
    screenshot(page, "test-step-on-the-runs-page")
    assert page_errors == []
