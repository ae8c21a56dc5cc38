"""Step ids with dashes are reachable with subscript syntax."""

from coordinator.expressions import evaluate, render

CONTEXT = {"steps": {"web-search": {"output": {"hits": 5}, "status": "failed"}}}


def test_it_reaches_a_dashed_step_id_with_brackets():
    assert render("{{ steps['web-search'].output.hits }}", CONTEXT) == 5


def test_it_reaches_a_dashed_step_status_in_a_condition():
    assert evaluate("steps['web-search'].status == 'failed'", CONTEXT) is True
