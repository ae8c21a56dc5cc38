"""A canvas-kind agent and a sub_plan step run a canvas by slug only if the run's user can
see it (their own, else their team's): another user's canvas is "not found" and never
runs, even when its slug is known."""

import pytest

from canvas.models import Agent, Canvas, CanvasVersion
from coordinator.models import Run
from tests.engine_helpers import start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER_GRAPH_PLAN = {
    "name": "docs",
    "steps": [{"id": "answer", "type": "transform", "output": "the designer's private answer"}],
}


def private_canvas(owner, slug="docs-assistant", team=None) -> Canvas:
    from canvas.graph import plan_to_graph
    from canvas.plan import Plan

    canvas = Canvas.objects.create(name=slug, slug=slug, owner=owner, team=team, latest_version=1)
    CanvasVersion.objects.create(
        canvas=canvas,
        number=1,
        author=owner,
        graph=plan_to_graph(Plan.model_validate(ANSWER_GRAPH_PLAN)),
    )
    return canvas


def canvas_agent(owner):
    return Agent.objects.create(
        slug="docs",
        name="Docs",
        description="Runs the docs assistant.",
        kind="canvas",
        kind_config={"canvas": "docs-assistant"},
        owner=owner,
    )


USE_AGENT = {"name": "outer", "steps": [{"id": "ask", "type": "agent", "agent": "docs"}]}
USE_SUB_PLAN = {
    "name": "outer",
    "steps": [{"id": "ask", "type": "sub_plan", "plan": "docs-assistant"}],
}


def test_a_canvas_agent_cannot_run_another_users_canvas(alice, charlie, engine_settings):
    private_canvas(alice)
    canvas_agent(charlie)
    run = wait_for(start(charlie, USE_AGENT, query="what is in the docs?"))
    assert run.status == "failed"
    assert "canvas 'docs-assistant' not found" in step(run, "ask").error
    assert not Run.objects.filter(parent_step__run=run).exists()


def test_a_canvas_agent_runs_its_users_own_canvas(alice, engine_settings):
    private_canvas(alice)
    canvas_agent(alice)
    run = wait_for(start(alice, USE_AGENT, query="what is in the docs?"))
    assert run.status == "succeeded", run.error
    assert Run.objects.get(parent_step__run=run).canvas.owner == alice


def test_a_sub_plan_cannot_run_another_users_canvas(alice, charlie, engine_settings):
    private_canvas(alice)
    run = wait_for(start(charlie, USE_SUB_PLAN, query="q"))
    assert run.status == "failed"
    assert "sub-plan 'docs-assistant' not found" in step(run, "ask").error
    assert not Run.objects.filter(parent_step__run=run).exists()


def test_a_slug_means_the_users_own_canvas_before_a_teams(alice, bob, team, engine_settings):
    private_canvas(bob, team=team)
    own = private_canvas(alice)
    run = wait_for(start(alice, USE_SUB_PLAN, query="q"))
    assert run.status == "succeeded", run.error
    assert Run.objects.get(parent_step__run=run).canvas == own
