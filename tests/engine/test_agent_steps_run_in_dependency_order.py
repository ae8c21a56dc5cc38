import pytest

from tests.engine_helpers import event_types, make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_two_step_plan_passes_outputs_downstream(alice, engine_settings, agent_calls):
    make_agent("echo", "Echoes the query back.")
    run = start(
        alice,
        {
            "name": "chain",
            "steps": [
                {
                    "id": "first",
                    "type": "agent",
                    "agent": "echo",
                    "query": "hello {{ input.name }}",
                },
                {
                    "id": "second",
                    "type": "agent",
                    "agent": "echo",
                    "depends_on": ["first"],
                    "query": "{{ steps.first.output.text }} again",
                },
            ],
        },
        input={"name": "world"},
    )
    run = wait_for(run)
    assert run.status == "succeeded"
    assert step(run, "first").output["text"] == "echo: hello world"
    assert step(run, "second").output["text"] == "echo: echo: hello world again"
    assert step(run, "second").output["context"] == {"first": step(run, "first").output}
    assert run.result["answer"] == "echo: echo: hello world again"
    assert [c["query"] for c in agent_calls()] == ["hello world", "echo: hello world again"]


def test_every_lifecycle_event_is_emitted_in_order(alice, engine_settings):
    make_agent("echo", "Echoes the query back.")
    run = wait_for(
        start(
            alice,
            {"name": "one", "steps": [{"id": "only", "type": "agent", "agent": "echo"}]},
            query="hi",
        )
    )
    assert event_types(run) == [
        "run.queued",
        "run.started",
        "step.started",
        "agent.started",
        "agent.succeeded",
        "step.succeeded",
        "run.succeeded",
    ]


def test_a_failed_step_skips_its_dependants_and_fails_the_run(alice, engine_settings):
    make_agent("failing", "Always fails.")
    make_agent("echo", "Echoes the query back.")
    run = wait_for(
        start(
            alice,
            {
                "name": "broken",
                "steps": [
                    {"id": "a", "type": "agent", "agent": "failing"},
                    {"id": "b", "type": "agent", "agent": "echo", "depends_on": ["a"]},
                    {"id": "c", "type": "agent", "agent": "echo"},
                ],
            },
        )
    )
    assert run.status == "failed"
    assert step(run, "a").status == "failed"
    assert "upstream service unavailable" in step(run, "a").error
    assert step(run, "b").status == "skipped"
    assert step(run, "c").status == "succeeded"
    assert "a:" in run.error
