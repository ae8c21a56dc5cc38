"""review_plan with an LLM coordinator (a local OpenAI-compatible server, never a real
model): the model's plan waits for the reviewer, and the edited plan is what runs."""

import pytest

from coordinator.engine.approvals import decide
from coordinator.models import Approval
from tests.engine.coordinator_plans import coordinator_plan, register_team
from tests.engine.test_coordinator_phases_run_through_litellm import (
    COMPLEXITY,
    REFLECTION,
    SYNTHESIS,
    model_server,  # noqa: F401
)
from tests.engine_helpers import start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SELECTION = {"agents": ["sales", "weather"], "scores": {"sales": 0.9}, "reasons": ["two asks"]}
PLANNING = {
    "pattern": "sequential",
    "reasons": ["two stages"],
    "stages": [
        {
            "id": "s1",
            "agent": "sales",
            "query": "revenue",
            "depends_on": [],
            "success_criteria": [],
        },
        {"id": "s2", "agent": "weather", "query": "rain", "depends_on": [], "success_criteria": []},
    ],
}


def test_the_models_plan_is_reviewed_and_the_edit_runs(alice, bob, model_server, agent_calls):  # noqa: F811
    register_team()
    for decision in (COMPLEXITY, SELECTION, PLANNING):
        model_server.reply_json(decision)
    plan = coordinator_plan(model="openai/test-model", review_plan=True, plan_reviewer="bob")
    run = wait_for(start(alice, plan, query="Revenue and rain?"), statuses=("waiting", "failed"))
    assert run.status == "waiting", run.error
    item = Approval.objects.get(run=run)
    assert item.kind == "plan_review"
    assert len(model_server.requests) == 3  # complexity, selection, planning: then it waits

    for decision in (REFLECTION, SYNTHESIS):
        model_server.reply_json(decision)
    stages = [{**PLANNING["stages"][0], "query": "revenue in Q3"}]
    decide(item, bob, action="edit", edits={"plan": {"stages": stages}})
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert [(c["agent"], c["query"]) for c in agent_calls()] == [("sales", "revenue in Q3")]
    assert step(run, "coord").output["review"] == {"by": "bob", "edited": True}
