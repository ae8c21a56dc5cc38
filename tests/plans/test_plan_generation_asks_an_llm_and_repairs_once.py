"""With a language model, plan generation asks it for a structured draft, sends one repair
round listing what broke the constraints, and refuses (502) a plan still invalid after it.
The model is tests/openai_server.py, never a real one."""

import pytest

from tests.engine_helpers import make_connection
from tests.openai_server import OpenAIServer
from tests.plans.helpers import generate, onboarding_agents

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "customer-onboarding",
    "description": "Verify, set up, welcome",
    "steps": [
        {
            "id": "verify",
            "type": "agent",
            "agent": "kyc-agent",
            "query": "verify identity",
            "depends_on": [],
            "why": "identity first",
        },
        {
            "id": "setup",
            "type": "agent",
            "agent": "account-service",
            "query": "create account",
            "depends_on": ["verify"],
            "why": "needs a verified customer",
        },
        {
            "id": "approve",
            "type": "human_approval",
            "prompt": "OK to welcome?",
            "depends_on": ["setup"],
            "why": "a person checks before we email",
        },
        {
            "id": "welcome",
            "type": "agent",
            "agent": "email-service",
            "query": "send welcome",
            "depends_on": ["approve"],
            "why": "the last step",
        },
    ],
    "unmatched": [],
}
UNKNOWN_AGENT = {**GOOD, "steps": [{**GOOD["steps"][0], "agent": "crm-bot"}, *GOOD["steps"][1:]]}


@pytest.fixture
def model_server(monkeypatch, db):
    onboarding_agents()
    with OpenAIServer() as server:
        make_connection(server.v1)  # models are reached through a staff-made connection
        yield server


def ask(client):
    return generate(
        client,
        model="openai/test-model",
        constraints={"require_human_approval": True, "max_steps": 5},
    )


def test_the_models_structured_draft_becomes_the_plan(api_alice, model_server):
    model_server.reply_json(GOOD)
    body = ask(api_alice).json()

    assert [s["id"] for s in body["plan"]["steps"]] == ["verify", "setup", "approve", "welcome"]
    assert {s["id"]: s["why"] for s in body["steps"]}["setup"] == "needs a verified customer"
    assert body["model"] == "openai/test-model"
    (request,) = model_server.requests
    prompt = request.last_user_content
    assert "kyc-agent: Verifies a customer's identity" in prompt
    assert '"require_human_approval": true' in prompt


def test_a_draft_that_breaks_a_constraint_gets_one_repair_round(api_alice, model_server):
    model_server.reply_json(UNKNOWN_AGENT).reply_json(GOOD)
    response = ask(api_alice)

    assert response.status_code == 200, response.json()
    assert len(model_server.requests) == 2
    repair = model_server.requests[1].last_user_content
    assert "breaks these rules" in repair and "'crm-bot' is not one of the available" in repair


def test_invalid_json_is_repaired_by_the_model_layer(api_alice, model_server):
    model_server.invalid_json('{"name": "x", "steps": [').reply_json(GOOD)
    assert ask(api_alice).status_code == 200
    assert len(model_server.requests) == 2


def test_a_draft_still_invalid_after_the_repair_is_a_502(api_alice, model_server):
    model_server.reply_json(UNKNOWN_AGENT).reply_json(UNKNOWN_AGENT)
    response = ask(api_alice)
    assert response.status_code == 502
    assert "crm-bot" in str(response.json()["errors"])


def test_a_missing_approval_is_a_rule_the_repair_names(api_alice, model_server):
    no_gate = {**GOOD, "steps": [s for s in GOOD["steps"] if s["type"] == "agent"]}
    no_gate["steps"][2] = {**no_gate["steps"][2], "depends_on": ["setup"]}
    model_server.reply_json(no_gate).reply_json(GOOD)
    assert ask(api_alice).status_code == 200
    assert "needs a human_approval step" in model_server.requests[1].last_user_content
