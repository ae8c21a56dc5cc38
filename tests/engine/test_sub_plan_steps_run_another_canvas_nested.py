"""A sub_plan step runs another canvas (by slug) as a nested run and takes its result."""

import pytest

from coordinator import engine
from coordinator.models import Run
from tests.engine_helpers import (
    embedded_only,
    make_agent,
    make_plan_canvas,
    start,
    step,
    wait_for,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)

CHILD = {
    "name": "greeter",
    "steps": [{"id": "greet", "type": "agent", "agent": "echo", "query": "hello {{ input.name }}"}],
}


def parent_plan(**sub) -> dict:
    return {
        "name": "outer",
        "steps": [
            {
                "id": "nested",
                "type": "sub_plan",
                "plan": "greeter",
                "input": {"name": "{{ input.who }}"},
                **sub,
            },
            {
                "id": "after",
                "type": "agent",
                "agent": "echo",
                "depends_on": ["nested"],
                "query": "parent saw {{ steps.nested.output.answer }}",
            },
        ],
    }


def test_the_nested_canvas_runs_with_rendered_input_and_its_answer_flows_back(
    alice, engine_settings, agent_calls
):
    make_agent("echo", "Echoes the query back.")
    child_canvas = make_plan_canvas(alice, "greeter", CHILD)
    run = wait_for(start(alice, parent_plan(), query="outer query", input={"who": "Ada"}))

    assert run.status == "succeeded", run.error
    nested = Run.objects.get(parent_step__run=run)
    assert nested.canvas == child_canvas
    assert nested.status == "succeeded"
    assert nested.depth == 1 and nested.trigger == "nested"
    assert nested.input == {"name": "Ada"}
    assert nested.parent_step == step(run, "nested")
    assert step(run, "nested").output["answer"] == "echo: hello Ada"
    assert step(run, "nested").output["run"] == str(nested.pk)
    assert [c["query"] for c in agent_calls()] == ["hello Ada", "parent saw echo: hello Ada"]


def test_a_failed_nested_run_fails_the_sub_plan_step(alice, engine_settings):
    make_agent("failing", "Always fails.")
    make_agent("echo", "Echoes the query back.")
    make_plan_canvas(
        alice,
        "greeter",
        {"name": "broken", "steps": [{"id": "boom", "type": "agent", "agent": "failing"}]},
    )
    run = wait_for(start(alice, parent_plan(), input={"who": "Ada"}))

    assert run.status == "failed"
    assert step(run, "nested").error.startswith("nested run failed: boom:")
    assert step(run, "after").status == "skipped"


def test_a_canvas_the_user_cannot_see_is_not_found(alice, bob, engine_settings):
    make_agent("echo", "Echoes the query back.")
    make_plan_canvas(bob, "greeter", CHILD)  # bob's, not shared with alice
    run = wait_for(start(alice, parent_plan(), input={"who": "Ada"}))

    assert run.status == "failed"
    assert step(run, "nested").error == "sub-plan 'greeter' not found"
    assert not Run.objects.filter(parent_step__run=run).exists()


def test_cancelling_the_parent_cancels_the_nested_run(alice, engine_settings):
    make_plan_canvas(
        alice,
        "greeter",
        {"name": "gated", "steps": [{"id": "gate", "type": "wait", "event": "never"}]},
    )
    make_agent("echo", "Echoes the query back.")
    run = start(alice, parent_plan(), input={"who": "Ada"})
    nested = wait_until(
        lambda: Run.objects.filter(parent_step__run=run, status="waiting").first(),
        what="the nested run to start",
    )

    engine.cancel(run)

    nested.refresh_from_db()
    assert nested.status == "cancelled"
    assert nested.error == "parent run ended"
    run.refresh_from_db()
    assert run.status == "cancelled"


@embedded_only
def test_a_canvas_that_nests_itself_stops_at_the_nesting_limit(alice, engine_settings):
    engine_settings.BATON_MAX_NESTING = 2
    canvas = make_plan_canvas(
        alice,
        "ouroboros",
        {"name": "self", "steps": [{"id": "again", "type": "sub_plan", "plan": "ouroboros"}]},
    )
    run = wait_for(engine.start_run(canvas, user=alice, query="loop"))

    assert run.status == "failed"
    runs = list(Run.objects.filter(canvas=canvas).order_by("depth"))
    assert [(r.depth, r.status) for r in runs] == [(0, "failed"), (1, "failed"), (2, "failed")]
    assert step(runs[-1], "again").error == "sub-plan nesting deeper than 2 refused"


def test_a_canvas_kind_agent_runs_its_canvas_with_the_conversation_copied(alice, engine_settings):
    from canvas.models import Agent

    make_agent("echo", "Echoes the query back.")
    make_plan_canvas(
        alice,
        "helper-flow",
        {"name": "helper", "steps": [{"id": "answer", "type": "agent", "agent": "echo"}]},
    )
    Agent.objects.create(
        slug="helper",
        name="Helper",
        description="Runs the helper flow.",
        kind="canvas",
        kind_config={"canvas": "helper-flow"},
        owner=alice,
    )
    history = [{"role": "user", "content": "earlier"}, {"role": "assistant", "content": "reply"}]
    run = wait_for(
        start(
            alice,
            {
                "name": "outer",
                "steps": [
                    {
                        "id": "delegate",
                        "type": "agent",
                        "agent": "helper",
                        "query": "nested question",
                    }
                ],
            },
            history=history,
        )
    )

    assert run.status == "succeeded", run.error
    nested = Run.objects.get(parent_step__run=run)
    assert nested.query == "nested question"
    assert nested.history == history
    assert step(nested, "answer").output["history"] == history
    assert run.result["answer"] == "echo: nested question"
