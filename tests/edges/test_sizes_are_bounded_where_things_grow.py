"""Item 2: what can grow is bounded — expression results (characters and nesting, counted
inside the time budget), stored step outputs and run results (a truncation marker keeping
the beginning), event payloads, and run results in list responses (summaries)."""

import pytest

from coordinator import expressions
from coordinator.bounded import bounded, is_truncated
from coordinator.expressions import ExpressionError, render
from coordinator.models import RunEvent
from tests.engine_helpers import make_agent, start, step, wait_for


def test_a_list_of_big_strings_is_refused_as_a_whole():
    """Each string is under the per-operation limit; together they are 50 times over it."""
    with pytest.raises(ExpressionError, match="larger than the limit"):
        render("{{ range(50)|map('center', 999999)|list }}", {})


def test_the_limit_spans_every_field_of_one_render():
    template = {f"k{i}": "{{ 'x' * 400000 }}" for i in range(5)}
    with pytest.raises(ExpressionError, match="larger than the limit"):
        render(template, {})


def test_a_result_nested_too_deeply_is_refused():
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ExpressionError, match="nested more than"):
        render("{{ input.deep }}", {"input": {"deep": deep}})


def test_converting_a_result_respects_the_deadline(monkeypatch):
    monkeypatch.setattr(expressions, "MAX_SECONDS", -1.0)  # the budget is spent before it starts
    with pytest.raises(ExpressionError, match="longer than"):
        render("{{ input.rows }}", {"input": {"rows": ["a"] * 10}})


def test_results_within_the_limits_are_unchanged():
    assert render({"a": "{{ range(3)|list }}", "b": "x{{ 1 }}"}, {}) == {"a": [0, 1, 2], "b": "x1"}


def test_a_value_over_the_limit_becomes_a_marker_with_its_beginning():
    marker = bounded({"text": "y" * 5000}, 1000)
    assert is_truncated(marker)
    assert marker["original_chars"] == len('{"text": "') + 5000 + 2
    assert marker["limit"] == 1000
    assert marker["preview"].startswith('{"text": "yyy')
    assert len(marker["preview"]) < 1000
    assert bounded({"text": "short"}, 1000) == {"text": "short"}


@pytest.mark.django_db(transaction=True)
def test_big_step_outputs_events_and_list_results_are_capped(
    alice, api_alice, engine_settings, settings
):
    settings.BATON_MAX_OUTPUT_CHARS = 50_000
    settings.BATON_MAX_EVENT_CHARS = 10_000
    make_agent("echo", "Echoes the query back.")
    run = wait_for(
        start(
            alice,
            {
                "name": "big",
                "steps": [
                    {"id": "t", "type": "transform", "output": {"text": "{{ 'z' * 200000 }}"}},
                ],
                "result": "t",
            },
        )
    )
    assert run.status == "succeeded", run.error
    output = step(run, "t").output
    assert is_truncated(output) and output["original_chars"] > 200_000
    assert output["limit"] == 50_000
    for event in RunEvent.objects.filter(run=run):
        assert len(str(event.data)) < 12_000, event.type
    listed = api_alice.get("/api/runs/").json()["results"][0]
    assert listed["id"] == str(run.pk)
    assert len(str(listed["result"])) < settings.BATON_LIST_RESULT_CHARS + 200
    detail = api_alice.get(f"/api/runs/{run.pk}/").json()
    assert detail["steps"][0]["output"] == output
