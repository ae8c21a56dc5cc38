"""Approvals inside parallel branches and nested runs (sub-plans) each appear in the inbox on
their own, and deciding one resumes only its own branch."""

import pytest

from canvas.models import Canvas, CanvasVersion
from coordinator.engine.approvals import decide
from coordinator.models import Approval, Run
from tests.engine_helpers import start, step, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def branch(name: str, assignee: str) -> dict:
    return {
        "id": name,
        "type": "human_approval",
        "prompt": f"Approve {name}?",
        "assignee": assignee,
    }


def test_each_parallel_branch_waits_for_its_own_decision(alice, bob, charlie, engine_settings):
    plan = {
        "name": "fan-out",
        "steps": [
            {
                "id": "both",
                "type": "parallel",
                "branches": [branch("legal", "bob"), branch("finance", "charlie")],
            },
            {"id": "done", "type": "transform", "depends_on": ["both"], "output": "shipped"},
        ],
        "result": "done",
    }
    run = start(alice, plan)
    items = wait_until(
        lambda: (
            list(Approval.objects.filter(run=run, status="pending"))
            if Approval.objects.filter(run=run, status="pending").count() == 2
            else None
        ),
        what="two branch approvals",
    )
    by_step = {i.step_run.step_id: i for i in items}
    assert by_step["legal"].assignee_user == bob and by_step["finance"].assignee_user == charlie

    decide(by_step["legal"], bob, action="approve")
    wait_until(lambda: step(run, "legal").status == "succeeded", what="legal resumed")
    assert step(run, "finance").status == "waiting"
    assert Run.objects.get(pk=run.pk).status == "waiting"

    decide(by_step["finance"], charlie, action="approve")
    run = wait_for(run)
    assert run.status == "succeeded", run.error
    assert run.result["answer"] == "shipped"


def test_an_approval_in_a_nested_run_resumes_the_parent_step(alice, bob, engine_settings):
    child = Canvas.objects.create(name="Sign-off", slug="sign-off", owner=alice, latest_version=1)
    CanvasVersion.objects.create(
        canvas=child,
        number=1,
        author=alice,
        graph={
            "nodes": [
                {
                    "id": "begin",
                    "type": "begin",
                    "position": {"x": 0, "y": 0},
                    "data": {"label": "Begin", "config": {}},
                },
                {
                    "id": "ok",
                    "type": "human_approval",
                    "position": {"x": 200, "y": 0},
                    "data": {"label": "OK", "config": {"prompt": "Sign off?", "assignee": "bob"}},
                },
                {
                    "id": "end",
                    "type": "interact",
                    "position": {"x": 400, "y": 0},
                    "data": {"label": "End", "config": {}},
                },
            ],
            "edges": [
                {
                    "id": "e1",
                    "source": "begin",
                    "sourceHandle": "out",
                    "target": "ok",
                    "targetHandle": "in",
                },
                {
                    "id": "e2",
                    "source": "ok",
                    "sourceHandle": "out",
                    "target": "end",
                    "targetHandle": "in",
                },
            ],
        },
    )
    plan = {
        "name": "outer",
        "steps": [
            {"id": "sign", "type": "sub_plan", "plan": "sign-off"},
            {"id": "after", "type": "transform", "depends_on": ["sign"], "output": "signed"},
        ],
        "result": "after",
    }
    run = start(alice, plan)
    item = wait_until(
        lambda: Approval.objects.filter(status="pending", run__parent_step__run=run).first(),
        what="the nested approval",
    )
    assert item.run.canvas == child and item.step_run.step_id == "ok"
    assert step(run, "sign").status == "waiting"

    decide(item, bob, action="approve", comment="signed")
    run = wait_for(run)
    assert run.status == "succeeded", run.error
    assert run.result["answer"] == "signed"
