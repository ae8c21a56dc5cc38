"""`loop: {until, max_iterations}` re-runs a step until the condition on its output holds."""

import pytest

from tests.engine_helpers import events, make_agent, rows, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def loop_plan(until: str, max_iterations: int) -> dict:
    return {
        "name": "loop",
        "steps": [
            {
                "id": "poll",
                "type": "agent",
                "agent": "counter",
                "query": "poll",
                "loop": {"until": until, "max_iterations": max_iterations},
            },
            {
                "id": "after",
                "type": "transform",
                "depends_on": ["poll"],
                "output": {"calls": "{{ steps.poll.output.calls }}"},
            },
        ],
    }


def test_the_step_repeats_until_the_condition_holds(alice, engine_settings, agent_calls):
    make_agent("counter", "Counts its calls.")
    run = wait_for(start(alice, loop_plan("step.output.calls >= 3", 10)))

    assert run.status == "succeeded", run.error
    attempts = rows(run, step_id="poll")
    assert [(r.iteration, r.superseded, r.status) for r in attempts] == [
        (1, True, "succeeded"),
        (2, True, "succeeded"),
        (3, False, "succeeded"),
    ]
    assert step(run, "poll").output["calls"] == 3
    assert step(run, "after").output == {"calls": 3}
    assert len(agent_calls()) == 3
    started = [e.data.get("iteration", 1) for e in events(run, "step.started") if e.step == "poll"]
    assert started == [1, 2, 3]


def test_max_iterations_stops_a_loop_whose_condition_never_holds(
    alice, engine_settings, agent_calls
):
    make_agent("counter", "Counts its calls.")
    run = wait_for(start(alice, loop_plan("step.output.calls > 100", 4)))

    assert run.status == "succeeded", run.error
    assert step(run, "poll").iteration == 4
    assert len(agent_calls()) == 4
    # the dependant ran once, after the last iteration
    assert step(run, "after").output == {"calls": 4}


def test_the_condition_sees_the_iteration_number(alice, engine_settings, agent_calls):
    make_agent("counter", "Counts its calls.")
    run = wait_for(start(alice, loop_plan("step.iteration >= 2", 5)))

    assert run.status == "succeeded"
    assert len(agent_calls()) == 2


def test_a_loop_over_a_transform_needs_no_agent(alice, engine_settings):
    run = wait_for(
        start(
            alice,
            {
                "name": "t",
                "steps": [
                    {
                        "id": "tick",
                        "type": "transform",
                        "output": {"at": "{{ now() }}"},
                        "loop": {"until": "false", "max_iterations": 3},
                    }
                ],
            },
        )
    )
    assert run.status == "succeeded"
    assert [r.iteration for r in rows(run, step_id="tick")] == [1, 2, 3]
