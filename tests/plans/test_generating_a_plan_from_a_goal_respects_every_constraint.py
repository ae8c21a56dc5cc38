"""POST /api/plans/generate/ with baton/local: a validated plan from the agents'
descriptions, ordered by data dependencies, an approval gate where required, within
max_steps and the available agents, timeouts within the deadline, why each step is there
and an estimate from recorded latencies."""

from datetime import timedelta

import pytest
from django.utils import timezone

from canvas.graph import compile_graph
from canvas.models import Canvas
from coordinator.models import Run, StepRun
from tests.engine_helpers import make_canvas
from tests.plans.helpers import generate, onboarding_agents

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def agents(db):
    return onboarding_agents()


def record_latency(owner, agent: str, *seconds: float) -> None:
    run = Run.objects.create(
        canvas=make_canvas(owner, f"history-{agent}"), plan={}, status="succeeded"
    )
    start = timezone.now() - timedelta(hours=1)
    for i, duration in enumerate(seconds):
        StepRun.objects.create(
            run=run,
            step_id=f"s{i}",
            type="agent",
            spec={},
            agent=agent,
            status="succeeded",
            started_at=start,
            finished_at=start + timedelta(seconds=duration),
        )


def test_the_onboarding_goal_becomes_three_ordered_steps_with_an_approval_gate(api_alice):
    response = generate(api_alice, constraints={"require_human_approval": True})
    assert response.status_code == 200, response.json()
    body = response.json()

    steps = [(s["id"], s["type"], s.get("depends_on", [])) for s in body["plan"]["steps"]]
    assert steps == [
        ("kyc-agent", "agent", []),
        ("account-service", "agent", ["kyc-agent"]),
        ("approval", "human_approval", ["account-service"]),
        ("email-service", "agent", ["account-service", "approval"]),
    ]
    queries = {s["id"]: s.get("query") for s in body["plan"]["steps"]}
    assert queries["kyc-agent"] == "verifies identity"
    assert queries["email-service"] == "sends a welcome email"
    assert body["plan"]["result"] == "email-service"
    why = {s["id"]: s["why"] for s in body["steps"]}
    assert "kyc-agent" in why["kyc-agent"] and "identity" in why["kyc-agent"]
    assert "approval" in why["approval"]
    assert "pets-history" not in body["yaml"]  # the off-topic agent is never chosen
    assert body["warnings"] == [] and body["model"] == "baton/local"


def test_the_estimate_is_the_critical_path_of_recorded_median_latencies(api_alice, alice):
    record_latency(alice, "kyc-agent", 10, 20, 60)  # median 20
    record_latency(alice, "account-service", 5)
    body = generate(api_alice).json()

    per_step = {s["id"]: s for s in body["steps"]}
    assert per_step["kyc-agent"]["estimated_seconds"] == 20
    assert per_step["kyc-agent"]["estimate_source"] == "median of 3 recorded run(s)"
    assert per_step["email-service"]["estimated_seconds"] == 30
    assert per_step["email-service"]["estimate_source"] == "no history: assumed"
    assert body["estimated_seconds"] == 20 + 5 + 30


def test_max_steps_is_kept_and_what_did_not_fit_is_reported(api_alice):
    body = generate(api_alice, constraints={"max_steps": 2, "require_human_approval": True}).json()
    assert [s["type"] for s in body["plan"]["steps"]] == ["agent", "human_approval"]
    assert len(body["warnings"]) == 2
    assert "left out: max_steps is 2" in body["warnings"][0]


def test_only_the_available_agents_are_used(api_alice):
    body = generate(api_alice, constraints={"available_agents": ["email-service"]}).json()
    assert [s.get("agent") for s in body["plan"]["steps"]] == ["email-service"]
    assert body["warnings"] == [
        "no available agent does: verifies identity",
        "no available agent does: sets up accounts",
    ]


def test_the_deadline_bounds_every_step_and_an_estimate_over_it_is_a_warning(api_alice):
    body = generate(
        api_alice, constraints={"deadline_minutes": 1, "require_human_approval": True}
    ).json()
    for step in body["plan"]["steps"]:
        limit = step.get("timeout_seconds") or step.get("approval_timeout_seconds")
        assert limit == 60
    assert body["warnings"] == ["estimated 1.5 min exceeds the deadline of 1 min"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"goal": ""}, "goal"),
        ({"constraints": {"max_steps": 0}}, "constraints.max_steps"),
        ({"constraints": {"deadline_minutes": -5}}, "constraints.deadline_minutes"),
        ({"constraints": {"available_agents": ["nobody-here"]}}, "constraints.available_agents"),
        ({"constraints": {"available_agents": ["Not A Slug"]}}, "constraints.available_agents.0"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_alice, body, field):
    response = api_alice.post(
        "/api/plans/generate/", {"goal": "verify identity", **body}, format="json"
    )
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}


def test_a_goal_no_agent_can_do_is_a_422(api_alice):
    response = generate(api_alice, goal="Bake a sourdough loaf and slice it thinly")
    assert response.status_code == 422
    assert "no available agent can do any part of the goal" in str(response.json()["errors"])


def test_create_canvas_saves_the_plan_laid_out_and_ready_to_edit(api_alice, alice):
    response = generate(
        api_alice,
        create_canvas=True,
        name="Onboarding",
        constraints={"require_human_approval": True},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    canvas = Canvas.objects.get(pk=body["canvas"]["id"])
    assert (canvas.name, canvas.owner, canvas.latest_version) == ("Onboarding", alice, 1)
    graph = canvas.current_version().graph
    positions = {(n["position"]["x"], n["position"]["y"]) for n in graph["nodes"]}
    assert len(positions) == len(graph["nodes"])  # laid out: no two nodes on top of each other
    compiled = compile_graph(graph, canvas.name)
    assert [s.id for s in compiled.steps] == [s["id"] for s in body["plan"]["steps"]]


def test_generation_needs_a_signed_in_user(api_anon):
    assert generate(api_anon).status_code in (401, 403)
