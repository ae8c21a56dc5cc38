"""With `adaptive.model` set to a language model, a trigger makes the model revise the
remaining plan — another agent and query for the failed step, changed and new steps — which
is validated, applied and emitted as plan.revised with a readable diff. A revision that does
not validate falls back to the on-topic re-route. The model is tests/openai_server.py."""

import pytest

from tests.engine_helpers import (
    embedded_only,
    events,
    make_agent,
    make_connection,
    rows,
    start,
    step,
    wait_for,
)
from tests.openai_server import OpenAIServer

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
PLAN = {
    "name": "quarterly",
    "steps": [
        {"id": "figures", "type": "agent", "agent": "revenue-bot", "query": "Q3 revenue"},
        {"id": "report", "type": "agent", "agent": "echo", "depends_on": ["figures"]},
    ],
    "result": "report",
}
ADAPTIVE = {"enabled": True, "max_revisions": 2, "model": "openai/test-model"}


@pytest.fixture
def model_server(monkeypatch, engine_settings):
    make_agent("revenue-bot", SALES, fn="failing")
    make_agent("sales", SALES)
    make_agent("echo", "Repeats the query back.")
    make_agent("weather", "Weather forecasts for a city.")
    with OpenAIServer() as server:
        make_connection(server.v1)  # models are reached through a staff-made connection
        yield server


def test_the_model_revises_the_remaining_plan_and_the_run_follows_it(alice, model_server):
    model_server.reply_json(
        {
            "reason": "revenue-bot is down; sales has the same figures, and a weather check helps",
            "steps": [
                {"id": "figures", "agent": "sales", "query": "Q3 revenue by region"},
                {"id": "context", "agent": "weather", "query": "weather in Q3", "depends_on": []},
                {
                    "id": "report",
                    "agent": "echo",
                    "query": "write the report",
                    "depends_on": ["figures", "context"],
                },
            ],
        }
    )
    run = wait_for(start(alice, PLAN, adaptive=ADAPTIVE), timeout=120)

    assert run.status == "succeeded", run.error
    (revised,) = events(run, "plan.revised")
    assert revised.data["diff"] == [
        "~ figures: agent revenue-bot → sales; query “Q3 revenue” → “Q3 revenue by region”",
        "+ context: weather — weather in Q3",
        "~ report: query “” → “write the report”; after ['figures'] → ['figures', 'context']",
    ]
    assert revised.data["model"] == "openai/test-model"
    assert revised.data["change"].startswith("revenue-bot is down")
    assert [(r.agent, r.status) for r in rows(run, step_id="figures")] == [
        ("revenue-bot", "failed"),
        ("sales", "succeeded"),
    ]
    assert step(run, "context").status == "succeeded"
    assert step(run, "report").spec["query"] == "write the report"
    assert run.result["answer"] == "echo: write the report"
    prompt = model_server.requests[0].last_user_content
    assert "Triggering step figures" in prompt and "sales: Sales analytics" in prompt


def test_a_revision_that_does_not_validate_falls_back_to_the_on_topic_reroute(alice, model_server):
    model_server.reply_json(
        {"reason": "use the crm", "steps": [{"id": "figures", "agent": "crm-bot"}]}
    )
    run = wait_for(start(alice, PLAN, adaptive=ADAPTIVE), timeout=120)

    assert run.status == "succeeded", run.error
    (revised,) = events(run, "plan.revised")
    assert revised.data["change"] == "re-route figures from revenue-bot to sales"
    assert "agent 'crm-bot' is not available" in revised.data["model_refused"]
