"""What the engine does about a step (fallbacks used, an escalation to a person, pipeline
stages still to come) is kept in the step's own engine_state, never mixed into the spec the
plan gave it: the spec of every attempt stays a valid step of its type."""

import pytest

from canvas.plan import AgentStep
from coordinator.models import Approval
from tests.engine_helpers import make_agent, rows, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
QUERY = "How much revenue did we make last quarter?"


def test_a_fallback_attempt_counts_its_fallback_in_engine_state(alice, engine_settings):
    make_agent("flaky-sales", SALES, fn="failing")
    make_agent("sales", SALES)
    step = {"id": "figures", "type": "agent", "agent": "flaky-sales", "fallback": "sales"}
    run = wait_for(start(alice, {"name": "fallback", "steps": [{**step, "query": QUERY}]}))

    assert run.status == "succeeded", run.error
    first, second = rows(run, step_id="figures")
    assert (first.agent, first.engine_state) == ("flaky-sales", {})
    assert (second.agent, second.engine_state) == ("sales", {"fallbacks_used": 1})
    assert second.spec == {**first.spec, "agent": "sales"}
    AgentStep.model_validate(second.spec)


def test_an_escalated_attempt_is_marked_in_engine_state_not_in_its_spec(alice, engine_settings):
    make_agent("first-bot", SALES, fn="failing")
    plan = {
        "name": "adaptive",
        "steps": [{"id": "figures", "type": "agent", "agent": "first-bot", "query": QUERY}],
    }
    adaptive = {
        "enabled": True,
        "max_revisions": 0,
        "triggers": [{"condition": "step.status == 'failed'"}],
    }
    run = wait_for(start(alice, plan, adaptive=adaptive), statuses=("waiting", "failed"))

    assert run.status == "waiting", run.error
    waiting = Approval.objects.get(run=run, kind="escalation").step_run
    assert waiting.engine_state == {"escalation": True}
    assert "escalation" not in waiting.spec
    AgentStep.model_validate(waiting.spec)
