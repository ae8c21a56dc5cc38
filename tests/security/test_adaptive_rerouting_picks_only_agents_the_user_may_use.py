"""Adaptive re-routing chooses the next-best agent only among those the run's user may use:
another user's copy of a good description never receives the rerouted (secret) input."""

import pytest

from tests.engine_helpers import make_agent, rows, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

EXTRACT = "Extract a document: reads a document and returns its text, tables and headings."
PLAN = {
    "name": "adaptive",
    "steps": [{"id": "extract", "type": "agent", "agent": "extract-document"}],
}
ADAPTIVE = {
    "enabled": True,
    "max_revisions": 2,
    "triggers": [{"condition": "step.status == 'failed'"}],
}


def test_a_look_alike_agent_of_another_user_is_never_chosen(
    alice, charlie, engine_settings, agent_calls
):
    make_agent("extract-document", EXTRACT, fn="failing")
    make_agent("extract-document-2", EXTRACT, fn="echo", owner=charlie)
    make_agent("backup-reader", "Extracts a document or contract: returns its text.", fn="sales")
    run = wait_for(start(alice, PLAN, query="extract the secret contract", adaptive=ADAPTIVE))
    assert [c["agent"] for c in agent_calls()] == ["failing", "sales"]
    assert [r.agent for r in rows(run, step_id="extract")] == [
        "extract-document",
        "backup-reader",
    ]


def test_without_a_usable_alternative_the_run_does_not_reroute_to_the_look_alike(
    alice, charlie, engine_settings, agent_calls
):
    make_agent("extract-document", EXTRACT, fn="failing")
    make_agent("extract-document-2", EXTRACT, fn="echo", owner=charlie)
    wait_for(
        start(alice, PLAN, query="extract the secret contract", adaptive=ADAPTIVE),
        statuses=("failed", "waiting", "succeeded"),
    )
    assert "echo" not in [c["agent"] for c in agent_calls()]
