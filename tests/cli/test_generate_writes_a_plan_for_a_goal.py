"""`workflow generate "GOAL"` prints a plan for the goal as YAML (why each step is there on
stderr) and, with --create, saves it as a canvas; constraints are flags."""

import pytest

from canvas.models import Canvas
from canvas.yaml_io import plan_from_yaml
from tests.cli import fast_password_hashing, workflow  # noqa: F401
from tests.plans.helpers import ONBOARDING_GOAL, onboarding_agents

pytestmark = pytest.mark.django_db


def test_it_prints_the_plan_and_why_each_step_is_there(alice):
    onboarding_agents()
    result = workflow("generate", ONBOARDING_GOAL, "--approval", "--user", "alice")

    assert result.code == 0, result.err
    plan = plan_from_yaml(result.out)
    assert [s.id for s in plan.steps] == [
        "kyc-agent",
        "account-service",
        "approval",
        "email-service",
    ]
    assert "# kyc-agent (~30s, no history: assumed):" in result.err
    assert "# estimated duration: 90s" in result.err
    assert Canvas.objects.count() == 0


def test_create_saves_a_canvas_and_constraints_apply(alice):
    onboarding_agents()
    result = workflow(
        "generate",
        ONBOARDING_GOAL,
        "--agents",
        "kyc-agent,email-service",
        "--max-steps",
        "2",
        "--create",
        "--name",
        "Onboarding",
        "--user",
        "alice",
    )
    assert result.code == 0, result.err
    assert [s.agent for s in plan_from_yaml(result.out).steps] == ["kyc-agent", "email-service"]
    assert "warning: no available agent does: sets up accounts" in result.err
    canvas = Canvas.objects.get(name="Onboarding")
    assert f"created canvas {canvas.slug}" in result.err


def test_a_goal_nothing_can_do_exits_with_an_error(alice):
    onboarding_agents()
    result = workflow("generate", "Bake bread", "--user", "alice")
    assert result.code != 0
    assert "no plan" in result.err
