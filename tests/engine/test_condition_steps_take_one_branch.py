"""A condition step runs one branch and skips the other; `when` skips a single step."""

import pytest

from tests.engine_helpers import events, make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def branching_plan() -> dict:
    return {
        "name": "branching",
        "steps": [
            {
                "id": "check",
                "type": "condition",
                "expression": "input.amount > 100",
                "if_true": ["big"],
                "if_false": ["small"],
            },
            {
                "id": "big",
                "type": "agent",
                "agent": "echo",
                "depends_on": ["check"],
                "query": "big order of {{ input.amount }}",
            },
            {
                "id": "small",
                "type": "agent",
                "agent": "echo",
                "depends_on": ["check"],
                "query": "small order of {{ input.amount }}",
            },
            {
                "id": "done",
                "type": "transform",
                "depends_on": ["big", "small"],
                "output": {"big": "{{ steps.big.status }}", "small": "{{ steps.small.status }}"},
            },
        ],
        "result": "done",
    }


@pytest.mark.parametrize(
    ("amount", "taken", "not_taken"), [(500, "big", "small"), (20, "small", "big")]
)
def test_only_the_branch_the_condition_picks_runs(
    alice, engine_settings, agent_calls, amount, taken, not_taken
):
    make_agent("echo", "Echoes the query back.")
    run = wait_for(start(alice, branching_plan(), input={"amount": amount}))

    assert run.status == "succeeded", run.error
    assert step(run, "check").output == {"result": amount > 100}
    assert step(run, taken).status == "succeeded"
    assert step(run, not_taken).status == "skipped"
    assert step(run, not_taken).error == "branch not taken at check"
    assert [c["query"] for c in agent_calls()] == [f"{taken} order of {amount}"]
    # a join after both branches still runs: one branch skipped is not "all upstream skipped"
    assert step(run, "done").output == {taken: "succeeded", not_taken: "skipped"}
    assert [e.step for e in events(run, "step.skipped")] == [not_taken]


def test_a_step_whose_when_is_false_is_skipped_and_so_are_its_dependants(
    alice, engine_settings, agent_calls
):
    make_agent("echo", "Echoes the query back.")
    run = wait_for(
        start(
            alice,
            {
                "name": "when",
                "steps": [
                    {"id": "always", "type": "agent", "agent": "echo", "query": "always"},
                    {
                        "id": "vip",
                        "type": "agent",
                        "agent": "echo",
                        "when": "input.tier == 'gold'",
                        "query": "vip",
                    },
                    {
                        "id": "after_vip",
                        "type": "agent",
                        "agent": "echo",
                        "depends_on": ["vip"],
                        "query": "after vip",
                    },
                ],
            },
            input={"tier": "silver"},
        )
    )

    assert run.status == "succeeded"
    assert step(run, "vip").status == "skipped"
    assert step(run, "vip").error == "condition false: input.tier == 'gold'"
    assert step(run, "after_vip").status == "skipped"
    assert step(run, "after_vip").error == "upstream skipped"
    assert [c["query"] for c in agent_calls()] == ["always"]


def test_a_condition_that_cannot_be_evaluated_fails_the_run(alice, engine_settings, agent_calls):
    make_agent("echo", "Echoes the query back.")
    run = wait_for(
        start(
            alice,
            {
                "name": "broken-condition",
                "steps": [
                    {
                        "id": "check",
                        "type": "condition",
                        "expression": "input.nope > 1",
                        "if_true": ["yes"],
                    },
                    {"id": "yes", "type": "agent", "agent": "echo", "depends_on": ["check"]},
                ],
            },
        )
    )
    assert run.status == "failed"
    assert "expression error" in step(run, "check").error
    assert step(run, "yes").status == "skipped"
    assert agent_calls() == []
