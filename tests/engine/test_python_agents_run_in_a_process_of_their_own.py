"""A python agent runs in a process of its own: a call past its timeout is stopped by killing
that process, and whatever crosses the boundary (the idempotency key, the run's user, the
worker's settings and environment in; results and errors out) arrives whole or as a clear
step error."""

import os

import pytest

from tests.engine_helpers import embedded_only, make_agent, start, step, wait_for
from tests.processes import is_running

pytestmark = pytest.mark.django_db(transaction=True)


def one_step(agent: str, **fields) -> dict:
    return {"name": "one", "steps": [{"id": "call", "type": "agent", "agent": agent, **fields}]}


def test_a_timed_out_agent_is_stopped_with_its_process(alice, engine_settings, agent_calls):
    make_agent("hang", "Never answers.")
    run = wait_for(start(alice, one_step("hang", timeout_seconds=0.3), query="q"))

    assert run.status == "failed"
    assert step(run, "call").error == "agent hang timed out: timed out after 0.3s"
    [call] = agent_calls()
    assert call["pid"] != os.getpid()
    assert not is_running(call["pid"])


def test_the_next_call_after_a_timeout_runs_normally(alice, engine_settings):
    make_agent("hang", "Never answers.")
    make_agent("echo", "Echoes.")
    hung = wait_for(start(alice, one_step("hang", timeout_seconds=0.3), query="q"))
    run = wait_for(start(alice, one_step("echo"), query="after"))

    assert hung.status == "failed"
    assert run.status == "succeeded", run.error
    assert step(run, "call").output["text"] == "echo: after"


@embedded_only  # a worker process has its own settings; this one overrides MEDIA_ROOT here
def test_the_agent_gets_its_key_user_settings_and_environment_across_the_boundary(
    alice, engine_settings, agent_files, tmp_path
):
    engine_settings.MEDIA_ROOT = str(tmp_path)
    make_agent("where", "Says where it runs.")
    run = wait_for(start(alice, one_step("where"), query="q"))

    assert run.status == "succeeded", run.error
    output = step(run, "call").output
    assert output["pid"] != os.getpid()
    assert output["key"] == f"{run.pk}:call:1"
    assert output["user"] == {"id": alice.pk, "username": alice.username}
    assert output["media_root"] == str(tmp_path)
    assert output["log"] == agent_files["BATON_TEST_AGENT_LOG"]


def test_a_result_that_cannot_leave_the_process_is_a_clear_step_error(alice, engine_settings):
    make_agent("unpicklable", "Returns a lock.")
    run = wait_for(start(alice, one_step("unpicklable"), query="q"))

    assert run.status == "failed"
    assert step(run, "call").error == (
        "agent unpicklable failed: returned a value that cannot leave the agent's process "
        "(dict: TypeError: cannot pickle '_thread.lock' object)"
    )


def test_an_exception_arrives_as_its_type_and_message(alice, engine_settings):
    make_agent("failing", "Fails.")
    run = wait_for(start(alice, one_step("failing"), query="q"))

    assert run.status == "failed"
    assert (
        step(run, "call").error
        == "agent failing failed: RuntimeError: upstream service unavailable"
    )


def test_an_agent_whose_process_dies_fails_its_step_clearly(alice, engine_settings, agent_calls):
    make_agent("crash", "Ends its own process.")
    run = wait_for(start(alice, one_step("crash"), query="q"))

    assert run.status == "failed"
    assert step(run, "call").error == (
        "agent crash failed: its process ended without answering (exit code 3)"
    )
    assert not is_running(agent_calls()[0]["pid"])


def test_a_generator_streams_its_items_across_the_boundary(alice, engine_settings):
    make_agent("numbers", "Counts.")
    run = wait_for(start(alice, one_step("numbers", input={"count": 4}), query="q"))

    assert run.status == "succeeded", run.error
    assert step(run, "call").output == {"items": [{"n": 0}, {"n": 1}, {"n": 2}, {"n": 3}]}


def test_a_deploys_sigterm_reaching_the_agent_process_does_not_end_the_call(alice, engine_settings):
    make_agent("shrug", "Gets a SIGTERM.")
    run = wait_for(start(alice, one_step("shrug"), query="q"))

    assert run.status == "succeeded", run.error
    assert step(run, "call").output == {"text": "still here"}
