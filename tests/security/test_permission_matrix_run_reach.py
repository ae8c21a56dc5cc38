"""The permission matrix, runs: every way a run reaches another object — a plan's agent
names, a coordinator's candidates, plan and registry fallbacks, adaptive alternatives,
canvas-kind agents, sub-plans, imports — as the owner of the objects, a team member,
another user and staff. Each starts a run of their own canvas aimed at alice's private
agent/canvas and at her team's; what they reach must be exactly what they may use."""

import pathlib

import pytest
from django.contrib.auth.models import Group, User

from canvas import services
from canvas.graph import plan_to_graph
from canvas.models import Agent
from canvas.plan import Plan
from coordinator.models import Run
from tests.conftest import client_for
from tests.engine_helpers import make_agent, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

STARTERS = ("owner", "member", "other", "staff")
#: what each starter may reach: (alice's private object, alice's team object)
MAY_REACH = {
    "owner": (True, True),
    "member": (False, True),
    "other": (False, False),
    "staff": (False, False),
}
WEATHER = "Weather forecasts: temperature, rain and wind for a city."
SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
# private target: agent fn `weather`; team target: agent fn `sales`
TARGETS = (
    {"agent": "alices-private", "fn": "weather", "canvas": "alices-private-flow", "about": WEATHER},
    {"agent": "alices-team", "fn": "sales", "canvas": "alices-team-flow", "about": SALES},
)
QUERIES = {"weather": "What is the weather forecast for Paris?", "sales": "What was revenue?"}
FLOW = {"name": "flow", "steps": [{"id": "t", "type": "transform", "output": "inside"}]}


@pytest.fixture
def people(engine_settings):
    team = Group.objects.create(name="research")
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    alice.groups.add(team)
    bob.groups.add(team)
    users = {
        "owner": alice,
        "member": bob,
        "other": User.objects.create_user("charlie"),
        "staff": User.objects.create_user("root", is_staff=True),
    }
    make_agent("alices-private", WEATHER, fn="weather", owner=alice)
    make_agent("alices-team", SALES, fn="sales", owner=alice, team=team)
    graph = plan_to_graph(Plan.model_validate(FLOW))
    services.create_canvas(owner=alice, name="P", slug="alices-private-flow", graph=graph)
    services.create_canvas(owner=alice, name="T", slug="alices-team-flow", team=team, graph=graph)
    return users


def agent_reached(agent_calls, target) -> bool:
    return target["fn"] in [c["agent"] for c in agent_calls()]


def canvas_reached(run, target) -> bool:
    return Run.objects.filter(
        parent_step__run=run, canvas__slug=target["canvas"], canvas__owner__username="alice"
    ).exists()


def by_plan_agent_name(user, target, agent_calls):
    plan = {"name": "p", "steps": [{"id": "s", "type": "agent", "agent": target["agent"]}]}
    wait_for(start(user, plan, query=QUERIES[target["fn"]]))
    return agent_reached(agent_calls, target)


def by_coordinator_candidate(user, target, agent_calls):
    plan = {"name": "p", "steps": [{"id": "c", "type": "coordinator", "agents": [target["agent"]]}]}
    wait_for(start(user, plan, query=QUERIES[target["fn"]]))
    return agent_reached(agent_calls, target)


def by_plan_fallback(user, target, agent_calls):
    Agent.objects.update_or_create(
        owner=user, slug="broken", defaults=_python("failing", target["about"])
    )
    plan = {
        "name": "p",
        "steps": [{"id": "s", "type": "agent", "agent": "broken", "fallback": target["agent"]}],
    }
    wait_for(start(user, plan, query=QUERIES[target["fn"]]))
    return agent_reached(agent_calls, target)


def by_registry_fallback(user, target, agent_calls):
    fallback = Agent.objects.get(slug=target["agent"])
    Agent.objects.update_or_create(
        owner=user,
        slug="broken",
        defaults={**_python("failing", target["about"]), "fallback": fallback},
    )
    plan = {
        "name": "p",
        "steps": [
            {
                "id": "c",
                "type": "coordinator",
                "agents": ["broken"],
                "config": {"failure_handling": "retry_with_fallback"},
            }
        ],
    }
    wait_for(start(user, plan, query=QUERIES[target["fn"]]))
    return agent_reached(agent_calls, target)


def by_adaptive_alternative(user, target, agent_calls):
    Agent.objects.update_or_create(
        owner=user, slug="broken", defaults=_python("failing", target["about"])
    )
    plan = {"name": "p", "steps": [{"id": "s", "type": "agent", "agent": "broken"}]}
    adaptive = {
        "enabled": True,
        "max_revisions": 1,
        "triggers": [{"condition": "step.status == 'failed'"}],
    }
    run = start(user, plan, query=QUERIES[target["fn"]], adaptive=adaptive)
    wait_for(run, statuses=("succeeded", "failed", "waiting", "cancelled"))
    return agent_reached(agent_calls, target)


def by_canvas_agent(user, target, agent_calls):
    Agent.objects.update_or_create(
        owner=user,
        slug="jump",
        defaults={
            "name": "Jump",
            "description": "Runs another canvas.",
            "kind": "canvas",
            "kind_config": {"canvas": target["canvas"]},
        },
    )
    plan = {"name": "p", "steps": [{"id": "s", "type": "agent", "agent": "jump"}]}
    return canvas_reached(wait_for(start(user, plan, query="go")), target)


def by_sub_plan(user, target, agent_calls):
    plan = {"name": "p", "steps": [{"id": "s", "type": "sub_plan", "plan": target["canvas"]}]}
    return canvas_reached(wait_for(start(user, plan, query="go")), target)


def by_import(user, target, agent_calls):
    document = f"name: imported\nsteps:\n  - {{id: s, type: agent, agent: {target['agent']}}}\n"
    response = client_for(user).post("/api/canvases/import/", {"yaml": document}, format="json")
    assert response.status_code in (201, 400), response.content
    return response.status_code == 201


def _python(fn: str, description: str) -> dict:
    return {
        "name": fn,
        "description": description,
        "kind": "python",
        "kind_config": {"callable": f"tests.engine_agents.{fn}"},
    }


WAYS = [
    by_plan_agent_name,
    by_coordinator_candidate,
    by_plan_fallback,
    by_registry_fallback,
    by_adaptive_alternative,
    by_canvas_agent,
    by_sub_plan,
    by_import,
]


@pytest.mark.parametrize("starter", STARTERS)
@pytest.mark.parametrize("way", WAYS, ids=lambda w: w.__name__)
def test_a_run_reaches_exactly_what_its_user_may_use(
    people, agent_calls, agent_files, starter, way
):
    user = people[starter]
    reached = []
    for target in TARGETS:
        pathlib.Path(agent_files["BATON_TEST_AGENT_LOG"]).unlink(missing_ok=True)
        reached.append(way(user, target, agent_calls))
    assert tuple(reached) == MAY_REACH[starter]
