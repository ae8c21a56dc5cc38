"""The coordinator's phases with a real litellm model, against a local OpenAI-compatible
server: structured decisions, one repair of invalid JSON, and clear failures for a 500 and a
timeout. No real model is ever called."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan, register_team
from tests.engine_helpers import make_connection, start, step, wait_for
from tests.openai_server import OpenAIServer

pytestmark = [pytest.mark.django_db(transaction=True)]

COMPLEXITY = {
    "level": "LOW",
    "reasons": ["a revenue question"],
    "sub_queries": [],
    "candidates": [{"slug": "sales", "score": 0.93, "reason": "revenue"}],
}
SELECTION = {"agents": ["sales"], "scores": {"sales": 0.93}, "reasons": ["best match"]}
PLANNING = {
    "pattern": "sequential",
    "reasons": ["one stage"],
    "stages": [
        {
            "id": "s1",
            "agent": "sales",
            "query": "revenue last quarter",
            "depends_on": [],
            "success_criteria": ["gives a figure"],
        }
    ],
}
REFLECTION = {"satisfied": True, "unmet": [], "retry_agents": [], "reasons": ["has a figure"]}
SYNTHESIS = {
    "answer": "Revenue grew 12% in Q3.",
    "insights": ["Revenue grew 12%"],
    "rows": [],
    "failed_agents": [],
    "sources": ["sales"],
    "reasons": ["one source"],
}


@pytest.fixture
def model_server(monkeypatch, engine_settings):
    if engine_settings.DISTRIBUTED:
        pytest.skip("the worker process does not see this test's secret variable")
    with OpenAIServer() as server:
        make_connection(server.v1)
        yield server


def plan(**config):
    return coordinator_plan(model="openai/test-model", **config)


def test_every_phase_is_decided_by_the_model(alice, model_server):
    register_team()
    for decision in (COMPLEXITY, SELECTION, PLANNING, REFLECTION, SYNTHESIS):
        model_server.reply_json(decision, prompt_tokens=100, completion_tokens=20)
    run = wait_for(start(alice, plan(), query="How much revenue did we make?"))
    assert run.status == "succeeded", run.error
    assert run.result["answer"] == "Revenue grew 12% in Q3."
    assert StepRun.objects.get(run=run, step_id="coord.s1").spec["query"] == "revenue last quarter"
    assert len(model_server.requests) == 5
    assert (
        "sales: Sales" in model_server.requests[0].last_user_content
    )  # descriptions are the signal
    assert step(run, "coord").prompt_tokens == 500
    assert run.usage["prompt_tokens"] == 500 and run.usage["completion_tokens"] == 100


def test_invalid_json_gets_one_repair_attempt(alice, model_server):
    register_team()
    model_server.invalid_json()
    for decision in (COMPLEXITY, SELECTION, PLANNING, REFLECTION, SYNTHESIS):
        model_server.reply_json(decision)
    run = wait_for(start(alice, plan(), query="How much revenue did we make?"))
    assert run.status == "succeeded", run.error
    assert len(model_server.requests) == 6
    assert "was not valid" in model_server.requests[1].last_user_content


def test_a_server_error_fails_the_run_with_the_phase_named(alice, model_server):
    register_team()
    model_server.error(500)
    run = wait_for(start(alice, plan(), query="How much revenue did we make?"))
    assert run.status == "failed"
    assert "complexity phase failed" in run.error
    completed = run.events.get(type="phase.completed", phase="complexity")
    assert "error" in completed.data


def test_a_model_slower_than_the_timeout_fails_the_phase(alice, model_server):
    register_team()
    model_server.delay(30)  # would answer, but long after the timeout
    run = wait_for(
        start(
            alice,
            plan(sub_agent_timeout=0.5, max_execution_time=60),
            query="How much revenue did we make?",
        )
    )
    assert run.status == "failed"
    assert "complexity phase failed" in run.error and "did not answer within 0.5 s" in run.error
