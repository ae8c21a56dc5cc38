"""Adaptive runs: when a trigger fires on a step, the remaining plan is revised (the step is
re-routed to the next-best agent, with a plan.revised event); after max_revisions the run
escalates to a person, whose approval retries the step and whose rejection fails it."""

import pytest

from coordinator.engine.approvals import decide
from coordinator.models import Approval
from tests.engine_helpers import (
    event_types,
    events,
    make_agent,
    rows,
    start,
    step,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
QUERY = "How much revenue did we make last quarter?"
FAILED = [{"condition": "step.status == 'failed'"}]


def figures_plan(agent: str, **extra) -> dict:
    return {
        "name": "adaptive",
        "steps": [
            {"id": "figures", "type": "agent", "agent": agent, "query": QUERY},
            {
                "id": "report",
                "type": "transform",
                "depends_on": ["figures"],
                "output": {"by": "{{ steps.figures.output.text }}"},
            },
        ],
        **extra,
    }


def test_a_failed_step_is_rerouted_to_the_next_best_agent(alice, engine_settings, agent_calls):
    make_agent("revenue-bot", SALES, fn="failing")
    make_agent("sales", SALES)
    make_agent("weather", "Weather forecasts: temperature, rain and wind for a city.")
    run = wait_for(
        start(
            alice,
            figures_plan("revenue-bot"),
            adaptive={"enabled": True, "max_revisions": 2, "triggers": FAILED},
        )
    )

    assert run.status == "succeeded", run.error
    assert run.revisions == 1
    revised = events(run, "plan.revised")
    assert [(e.step, e.agent) for e in revised] == [("figures", "sales")]
    assert revised[0].data == {
        "revision": 1,
        "trigger": "step.status == 'failed'",
        "change": "re-route figures from revenue-bot to sales",
    }
    assert [(r.agent, r.status, r.superseded) for r in rows(run, step_id="figures")] == [
        ("revenue-bot", "failed", True),
        ("sales", "succeeded", False),
    ]
    assert step(run, "report").output == {
        "by": "Revenue grew 12% in Q3 to 4.2 million dollars in sales."
    }
    assert [c["agent"] for c in agent_calls()] == ["failing", "sales"]


def test_the_plans_own_adaptive_block_is_used(alice, engine_settings):
    make_agent("revenue-bot", SALES, fn="failing")
    make_agent("sales", SALES)
    run = wait_for(
        start(alice, figures_plan("revenue-bot", adaptive={"enabled": True, "max_revisions": 3}))
    )

    # no triggers listed: the default one, a failed step
    # no model: baton/local re-routes
    assert run.adaptive == {"enabled": True, "max_revisions": 3, "triggers": [], "model": ""}
    assert run.status == "succeeded", run.error
    assert step(run, "figures").agent == "sales"


def test_a_trigger_on_a_succeeded_output_revises_too(alice, engine_settings, agent_calls):
    make_agent("revenue-bot", SALES, fn="offtopic")
    make_agent("sales", SALES)
    trigger = [{"condition": "'Turtles' in step.output.text"}]
    run = wait_for(
        start(
            alice,
            figures_plan("revenue-bot"),
            adaptive={"enabled": True, "max_revisions": 2, "triggers": trigger},
        )
    )

    assert run.status == "succeeded", run.error
    assert events(run, "plan.revised")[0].data["trigger"] == "'Turtles' in step.output.text"
    assert step(run, "report").output["by"].startswith("Revenue grew 12%")
    assert [c["agent"] for c in agent_calls()] == ["offtopic", "sales"]


def escalated(alice, **adaptive):
    run = start(
        alice, figures_plan("first-bot"), adaptive={"enabled": True, "triggers": FAILED, **adaptive}
    )
    run = wait_for(run, statuses=("waiting", "failed", "succeeded"))
    assert run.status == "waiting", run.error
    return run, Approval.objects.get(run=run, status="pending")


def test_after_max_revisions_the_run_escalates_to_a_person(
    alice, bob, engine_settings, agent_calls
):
    make_agent("first-bot", SALES, fn="failing")
    make_agent("second-bot", SALES, fn="failing")
    run, approval = escalated(alice, max_revisions=1)

    assert run.revisions == 1
    assert [c["agent"] for c in agent_calls()] == ["failing", "failing"]
    assert approval.kind == "escalation" and approval.default_action == "reject"
    assert approval.prompt.startswith(
        "Step figures needs review: trigger `step.status == 'failed'` fired "
        "after 1 of 1 revisions (agent second-bot failed: RuntimeError"
    )
    assert event_types(run).count("plan.revised") == 1
    assert events(run, "approval.requested")[0].step == "figures"

    decide(approval, alice, action="reject", comment="the sales data is gone")
    run = wait_for(run)

    assert run.status == "failed"
    assert step(run, "figures").error == "aborted by alice: the sales data is gone"
    assert step(run, "report").status == "skipped"
    assert len(agent_calls()) == 2


def test_approving_an_escalation_retries_the_step(alice, bob, engine_settings, agent_calls):
    make_agent("first-bot", SALES, fn="flaky")  # fails once, then works
    run, approval = escalated(alice, max_revisions=0)

    assert run.revisions == 0
    decide(approval, bob, approve=True)
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert step(run, "figures").output == {"text": "flaky succeeded on retry"}
    assert [c["agent"] for c in agent_calls()] == ["flaky", "flaky"]


def test_a_run_without_adaptive_fails_plainly(alice, engine_settings, agent_calls):
    make_agent("revenue-bot", SALES, fn="failing")
    make_agent("sales", SALES)
    run = wait_for(start(alice, figures_plan("revenue-bot")))

    assert run.status == "failed"
    assert events(run, "plan.revised") == []
    assert [c["agent"] for c in agent_calls()] == ["failing"]


def test_an_approved_retry_that_fails_again_asks_again_until_rejected(
    alice, bob, engine_settings, agent_calls
):
    make_agent("first-bot", SALES, fn="failing")
    run, first = escalated(alice, max_revisions=0)

    decide(first, bob, approve=True)
    run = wait_for(run, statuses=("waiting",))
    second = wait_for_pending_approval(run, other_than=first)
    decide(second, bob, action="reject", comment="give up")
    run = wait_for(run)

    assert run.status == "failed"
    assert [c["agent"] for c in agent_calls()] == ["failing", "failing"]
    assert Approval.objects.filter(run=run).count() == 2


def wait_for_pending_approval(run, other_than):
    return wait_until(
        lambda: (
            Approval.objects.filter(run=run, status="pending").exclude(pk=other_than.pk).first()
        ),
        what="a new approval",
    )


def test_an_agent_about_something_else_is_never_the_fallback(alice, engine_settings, agent_calls):
    make_agent("billing-bot", "Billing: invoices, refunds and payment questions.", fn="failing")
    make_agent(
        "pets-history", "The history of pet breeds: dogs, cats and their origins.", fn="echo"
    )
    run = wait_for(
        start(
            alice,
            {
                "name": "billing",
                "steps": [
                    {
                        "id": "refund",
                        "type": "agent",
                        "agent": "billing-bot",
                        "query": "Show my payment history for March",
                    }
                ],
            },
            adaptive={"enabled": True, "max_revisions": 3, "triggers": FAILED},
        ),
        statuses=("waiting", "failed", "succeeded"),
    )

    # "history" is the only word the two share: no on-topic alternative, a person decides
    assert events(run, "plan.revised") == []
    assert run.status == "waiting"
    assert {r.agent for r in rows(run, step_id="refund")} == {"billing-bot"}
    assert [c["agent"] for c in agent_calls()] == ["failing"]


def test_an_agent_that_does_the_same_job_is_the_fallback(alice, engine_settings):
    make_agent("billing-bot", "Billing: invoices, refunds and payment questions.", fn="failing")
    make_agent("pets-history", "The history of pet breeds: dogs, cats and their origins.")
    make_agent(
        "payments-desk", "Payment questions: billing history, invoices and refunds.", fn="echo"
    )
    run = wait_for(
        start(
            alice,
            {
                "name": "billing",
                "steps": [
                    {
                        "id": "refund",
                        "type": "agent",
                        "agent": "billing-bot",
                        "query": "Show my payment history for March",
                    }
                ],
            },
            adaptive={"enabled": True, "max_revisions": 3, "triggers": FAILED},
        )
    )
    assert run.status == "succeeded", run.error
    assert [e.agent for e in events(run, "plan.revised")] == ["payments-desk"]
