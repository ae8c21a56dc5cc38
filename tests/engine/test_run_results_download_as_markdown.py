"""A finished run's result renders as a Markdown document (the download): answer, insights,
the merged data table and the agents that failed."""

import pytest

from coordinator.engine.core.results import as_markdown
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, make_canvas, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_partial_coordinator_result_renders_answer_table_and_failures(alice, engine_settings):
    make_agent(
        "sales", "Sales analytics: revenue, income and sales figures per region and quarter."
    )
    make_agent("weather", "Weather forecasts: temperature, rain and wind for a city.", fn="failing")
    canvas = make_canvas(alice, "quarterly-report")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                failure_handling="continue_partial",
                enable_reflection=False,
            ),
            query="Show the revenue by region, and also the weather forecast for Paris tomorrow",
            canvas=canvas,
        )
    )
    assert run.status == "succeeded", run.error

    markdown = as_markdown(run)

    assert markdown.startswith("# quarterly-report\n")
    assert "**Query:** Show the revenue by region" in markdown
    assert "**Status:** succeeded" in markdown
    answer = markdown.split("## Answer\n\n", 1)[1]
    assert answer.startswith(
        "### Show the revenue by region\n\nRevenue grew 12% in Q3 to 4.2 million dollars in "
        "sales.\n\n### "
    )
    assert (
        "weather failed (agent weather failed: RuntimeError: upstream service unavailable)"
        in answer
    )
    assert (
        "## Key insights\n\n- Revenue grew 12% in Q3 to 4.2 million dollars in sales." in markdown
    )
    assert "| region | revenue |\n|---|---|\n| EU | 100 |\n| US | 200 |" in markdown
    assert markdown.rstrip().endswith("## Failed agents\n\n- weather")


def test_a_failed_run_renders_its_error(alice, engine_settings):
    make_agent("failing", "Always fails.")
    run = wait_for(
        start(
            alice,
            {"name": "broken", "steps": [{"id": "boom", "type": "agent", "agent": "failing"}]},
        )
    )
    assert run.status == "failed"

    markdown = as_markdown(run)

    assert "**Status:** failed" in markdown
    assert "_(no answer)_" in markdown
    assert "## Failed agents\n\n- failing" in markdown
    assert (
        "**Error:** boom: agent failing failed: RuntimeError: upstream service unavailable"
        in markdown
    )
