"""The world the permission matrix walks: alice owns a team canvas (shared with the
research team, bob a member), a private canvas, a run waiting on an approval, a private
agent and a team agent. charlie is another user, root is staff (in no team)."""

from __future__ import annotations

from dataclasses import dataclass
from unittest import mock

from django.contrib.auth.models import Group, User

from canvas import services
from canvas.graph import plan_to_graph
from canvas.models import Agent, Canvas
from canvas.plan import Plan
from coordinator import engine
from coordinator.models import Approval, Run, StepRun
from coordinator.transport import dispatch

ROLES = ("owner", "member", "other", "staff", "anonymous")

GATE = {
    "name": "gate",
    "steps": [
        {"id": "review", "type": "human_approval", "prompt": "Publish?"},
        {"id": "publish", "type": "transform", "depends_on": ["review"], "output": "done"},
    ],
}


@dataclass
class World:
    users: dict[str, User | None]
    team: Group
    canvas: Canvas
    private: Canvas
    run: Run
    approval: Approval
    private_agent: Agent
    team_agent: Agent


def build() -> World:
    team = Group.objects.create(name="research")
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    charlie = User.objects.create_user("charlie")
    root = User.objects.create_user("root", is_staff=True)
    alice.groups.add(team)
    bob.groups.add(team)
    graph = plan_to_graph(Plan.model_validate(GATE))
    canvas = services.create_canvas(
        owner=alice, name="Team flow", slug="team-flow", team=team, graph=graph
    )
    private = services.create_canvas(owner=alice, name="Private", slug="private", graph=graph)
    # The world stands still: with autocommit (async tests) an enqueued run would start at
    # once and race this function to the review's approval, so nothing is enqueued.
    with mock.patch.object(dispatch, "enqueue"):
        run = engine.start_run(canvas, user=alice, query="publish it")
    Run.objects.filter(pk=run.pk).update(status="waiting")
    review = StepRun.objects.get(run=run, step_id="review")
    StepRun.objects.filter(pk=review.pk).update(status="waiting")
    approval = Approval.objects.create(run=run, step_run=review, kind="approval", prompt="Publish?")
    private_agent = Agent.objects.create(
        slug="alices-private", name="P", description="Private agent.", owner=alice
    )
    team_agent = Agent.objects.create(
        slug="alices-team", name="T", description="Team agent.", owner=alice, team=team
    )
    return World(
        users={"owner": alice, "member": bob, "other": charlie, "staff": root, "anonymous": None},
        team=team,
        canvas=canvas,
        private=private,
        run=run,
        approval=approval,
        private_agent=private_agent,
        team_agent=team_agent,
    )
