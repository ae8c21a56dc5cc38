"""The property panel renders each component's JSON Schema: selects, switches, bounded
numbers, read-only fields, nested fieldsets, JSON textareas with parse errors, step options;
sub-agents pick a registry agent or register a new one in place."""

import pytest
from playwright.sync_api import expect

from tests.browser.editor_helpers import (
    EDITOR_VIEWPORT,
    api_json,
    drop,
    new_canvas,
    node,
    select_node,
    unique,
)

pytestmark = pytest.mark.browser


def _save(page, message):
    page.keyboard.press("Control+s")
    page.get_by_test_id("save-message").fill(message)
    page.get_by_test_id("save-submit").click()
    expect(page.get_by_test_id("dirty-indicator")).to_have_count(0)


def _stored_node(page, canvas_id, node_id):
    graph = api_json(page, "GET", f"/api/canvases/{canvas_id}/")["graph"]
    return next(n for n in graph["nodes"] if n["id"] == node_id)


def test_the_coordinator_form_has_selects_switches_read_only_fields_and_nested_fieldsets(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = new_canvas(page, unique("Coordinator form"))
    coordinator = drop(page, "coordinator", 300, 200)
    select_node(page, coordinator)

    prompt = page.get_by_test_id("field-data.config.system_prompt")
    expect(prompt).to_have_attribute("readonly", "")
    assert "You are the Coordinator" in prompt.input_value()
    expect(page.get_by_test_id("field-data.config.coordination_strategy")).to_have_value(
        "sequential"
    )
    reflection = page.get_by_test_id("field-data.config.enable_reflection")
    expect(reflection).to_be_checked()
    reflection.uncheck()
    page.get_by_test_id("field-data.config.context_policy.mode").select_option("last_n")
    page.get_by_test_id("field-data.config.context_policy.last_n").fill("4")
    page.get_by_test_id("field-data.config.budget.max_cost_usd").fill("2.5")
    page.get_by_test_id("field-data.config.max_execution_time").fill("0")
    expect(page.locator('[data-field="data.config.max_execution_time"]')).to_contain_text(
        "Input should be greater than 0"
    )
    page.get_by_test_id("field-data.config.max_execution_time").fill("600")

    # Step options: collapsible, validated by the server where they are.
    page.get_by_test_id("step-options").locator("summary").click()
    page.get_by_test_id("field-data.step.retries").fill("20")
    retries = page.locator('[data-field="data.step.retries"]')
    expect(retries).to_contain_text("less than or equal to 10")
    expect(retries.locator("li")).to_have_count(1)  # browser and server agree: shown once
    page.get_by_test_id("field-data.step.retries").fill("2")
    page.get_by_test_id("toggle-data.step.loop").check()
    page.get_by_test_id("field-data.step.loop.until").fill("step.output.done")
    screenshot(page, "editor-coordinator-form")

    _save(page, "configured")
    stored = _stored_node(page, canvas_id, coordinator)["data"]
    config = stored["config"]
    assert config["enable_reflection"] is False
    assert config["context_policy"] == {"mode": "last_n", "last_n": 4, "max_tokens": 8000}
    assert config["budget"]["max_cost_usd"] == 2.5
    assert config["max_execution_time"] == 600
    assert stored["step"] == {
        "retries": 2,
        "loop": {"until": "step.output.done", "max_iterations": 3},
    }
    assert page_errors == []


def test_a_free_form_object_is_edited_as_json_with_parse_errors_shown(page, page_errors, log_in):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    canvas_id = new_canvas(page, unique("Begin form"))
    begin = drop(page, "begin", 300, 200)
    select_node(page, begin)
    schema = page.get_by_test_id("field-data.config.input_schema")
    schema.fill('{"type": "object", "properties": {')
    expect(page.locator('[data-field="data.config.input_schema"]')).to_contain_text("Invalid JSON")
    schema.fill('{"type": "object", "properties": {"question": {"type": "string"}}}')
    expect(
        page.locator('[data-field="data.config.input_schema"] [data-testid="field-error"]')
    ).to_have_count(0)
    page.get_by_test_id("field-data.config.conversation_mode").select_option("single_turn")
    expect(node(page, begin)).to_contain_text("single turn")
    _save(page, "input schema")
    config = _stored_node(page, canvas_id, begin)["data"]["config"]
    assert config["input_schema"]["properties"] == {"question": {"type": "string"}}
    assert config["conversation_mode"] == "single_turn"
    assert page_errors == []


def test_a_sub_agent_registers_a_new_agent_in_place_with_errors_per_field(
    page, page_errors, log_in, screenshot
):
    page.set_viewport_size(EDITOR_VIEWPORT)
    log_in(page)
    new_canvas(page, unique("Inline agent"))
    sub = drop(page, "sub_agent", 300, 200)
    select_node(page, sub)
    expect(page.locator('[data-field="data.config.agent"]')).to_contain_text(
        "choose a registry agent"
    )

    page.get_by_test_id("new-agent").click()
    slug = unique("keyword-trends").replace(" ", "-")
    page.get_by_test_id("new-agent-name").fill("Keyword trends")
    page.get_by_test_id("new-agent-slug").fill(slug)
    page.get_by_test_id("new-agent-description").fill("Finds trending keywords in recent runs.")
    page.get_by_test_id("new-agent-kind").select_option("python")
    page.get_by_test_id("new-agent-kind-value").fill("os.system")
    page.get_by_test_id("new-agent-submit").click()
    expect(page.get_by_test_id("new-agent-form")).to_contain_text("BATON_PYTHON_AGENTS allowlist")

    page.get_by_test_id("new-agent-kind-value").fill("demo.agents.keyword_trends")
    page.get_by_test_id("new-agent-submit").click()
    expect(page.get_by_test_id("new-agent-form")).to_have_count(0)
    expect(page.get_by_test_id("agent-select")).to_have_value(slug)
    expect(page.get_by_test_id("agent-description")).to_contain_text("trending keywords")
    expect(node(page, sub)).to_contain_text("Keyword trends")
    expect(node(page, sub)).to_contain_text(f"agent: {slug}")
    screenshot(page, "editor-new-agent")
    assert api_json(page, "GET", f"/api/agents/{slug}/")["kind"] == "python"
    assert page_errors == []
