"""An adaptive run that runs out of revisions escalates to a person, whose choices are retry
(approve), edit the step and retry (edit), or abort (reject, with a reason)."""

import pytest

from coordinator.engine.approvals import DecisionError, decide
from tests.engine_helpers import make_agent, step, wait_for
from tests.inbox.helpers import waiting_item

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue and sales figures per region and quarter."
PLAN = {
    "name": "figures",
    "steps": [{"id": "figures", "type": "agent", "agent": "first-bot", "query": "Q3 revenue"}],
    "adaptive": {"enabled": True, "max_revisions": 0},
}


def escalated(alice):
    run, item = waiting_item(alice, PLAN)
    assert item.kind == "escalation"
    return run, item


def test_retry_runs_the_step_again(alice, engine_settings, agent_calls):
    make_agent("first-bot", SALES, fn="flaky")
    run, item = escalated(alice)
    decide(item, alice, action="approve")
    assert wait_for(run).status == "succeeded"
    assert [c["agent"] for c in agent_calls()] == ["flaky", "flaky"]


def test_edit_retries_the_step_with_another_agent_and_query(alice, engine_settings, agent_calls):
    make_agent("first-bot", SALES, fn="failing")
    make_agent("backup", "Echoes text back.", fn="echo")
    run, item = escalated(alice)

    with pytest.raises(DecisionError, match="edits.agent: no enabled agent 'ghost'"):
        decide(item, alice, action="edit", edits={"agent": "ghost"})
    with pytest.raises(DecisionError, match="edits.timeout: only agent and query can be edited"):
        decide(item, alice, action="edit", edits={"timeout": 3})
    decide(item, alice, action="edit", edits={"agent": "backup", "query": "Q3 revenue, EMEA"})
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert agent_calls()[-1] == {**agent_calls()[-1], "agent": "echo", "query": "Q3 revenue, EMEA"}
    assert step(run, "figures").agent == "backup"
    diff = item.entries.get(action="edited").data["diff"]
    assert {(d["field"], d["before"], d["after"]) for d in diff} == {
        ("agent", "first-bot", "backup"),
        ("query", "Q3 revenue", "Q3 revenue, EMEA"),
    }


def test_abort_fails_the_step_with_the_reason_and_no_more_revisions(
    alice, engine_settings, agent_calls
):
    make_agent("first-bot", SALES, fn="failing")
    run, item = escalated(alice)
    decide(item, alice, action="reject", comment="source system is down")
    run = wait_for(run)

    assert run.status == "failed"
    assert step(run, "figures").error == "aborted by alice: source system is down"
    assert len(agent_calls()) == 1
