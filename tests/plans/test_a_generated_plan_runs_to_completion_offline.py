"""A canvas generated from a goal with baton/local runs to completion offline: each agent
step runs in order, the approval gate waits for a person, then the final step runs."""

import pytest
from django.contrib.auth.models import User

from canvas.models import Canvas
from coordinator import engine
from coordinator.engine.approvals import decide
from coordinator.models import Approval
from tests.engine_helpers import embedded_only, wait_for, wait_until
from tests.plans.helpers import generate, onboarding_agents

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


def test_the_generated_onboarding_canvas_runs_through_its_approval(
    api_alice, alice, engine_settings, agent_calls
):
    onboarding_agents()
    body = generate(
        api_alice, create_canvas=True, constraints={"require_human_approval": True}
    ).json()
    canvas = Canvas.objects.get(pk=body["canvas"]["id"])

    run = engine.start_run(canvas, user=alice, query="onboard customer 42")
    approval = wait_until(lambda: Approval.objects.filter(run=run, status="pending").first())
    assert [c["agent"] for c in agent_calls()] == ["echo", "echo"]  # kyc, accounts; not email
    # Four eyes: alice started the run, so a staff reviewer decides.
    reviewer = User.objects.create_user("root", is_staff=True)
    decide(approval, reviewer, approve=True)

    run = wait_for(run)
    assert run.status == "succeeded", run.error
    assert [c["query"] for c in agent_calls()] == [
        "verifies identity",
        "sets up accounts",
        "sends a welcome email",
    ]
    assert run.result["answer"] == "echo: sends a welcome email"
