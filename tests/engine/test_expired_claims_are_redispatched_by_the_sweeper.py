"""A worker that dies mid-step leaves a claim that expires; sweep() re-sends it, and the copy
runs the step only if nothing else did and the claim's holder shows no sign of life."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from coordinator import engine
from coordinator.models import StepRun
from tests.engine_helpers import embedded_only, make_agent, rows, start, step, wait_for, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

PLAN = {
    "name": "two",
    "steps": [
        {"id": "first", "type": "agent", "agent": "echo", "query": "one"},
        {"id": "second", "type": "agent", "agent": "echo", "depends_on": ["first"], "query": "two"},
    ],
}


def lost_claim(alice, manual_dispatch):
    """`first` is claimed and its task handed to a worker that never reports back."""
    make_agent("echo", "Echoes the query back.")
    run = start(alice, PLAN)
    manual_dispatch.drain(only=("advance",))
    lost = manual_dispatch.take("execute_step")
    return run, lost


def test_an_expired_claim_is_redispatched_and_the_run_completes(
    alice, manual_dispatch, agent_calls
):
    run, lost = lost_claim(alice, manual_dispatch)
    StepRun.objects.filter(pk=lost[0]).update(claimed_until=timezone.now() - timedelta(seconds=1))

    stats = engine.sweep()
    assert stats["reclaimed"] == 1
    row_id, token, resent_at = manual_dispatch.take("execute_step")
    assert (row_id, token) == lost and resent_at
    engine.execute_step(row_id, token, resent_at)
    manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert [c["query"] for c in agent_calls()] == ["one", "two"]
    assert len(rows(run, step_id="first")) == 1  # the same attempt, not a new one


def test_the_lost_delivery_and_its_resent_copy_run_the_step_once(
    alice, manual_dispatch, agent_calls
):
    run, lost = lost_claim(alice, manual_dispatch)
    StepRun.objects.filter(pk=lost[0]).update(claimed_until=timezone.now() - timedelta(seconds=1))
    engine.sweep()
    resent = manual_dispatch.take("execute_step")

    engine.execute_step(*lost)  # the original message resurfaces first and runs the step
    engine.execute_step(*resent)  # the copy finds the claim taken
    manual_dispatch.drain()
    engine.execute_step(*lost)

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert [c["query"] for c in agent_calls()] == ["one", "two"]


def test_a_live_claim_is_left_alone(alice, manual_dispatch, agent_calls):
    run, lost = lost_claim(alice, manual_dispatch)

    stats = engine.sweep()

    assert stats["reclaimed"] == 0
    assert not [t for t in manual_dispatch.queue if t[0] == "execute_step"]
    assert step(run, "first").status == "running"
    engine.execute_step(*lost)
    manual_dispatch.drain()
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert len(agent_calls()) == 2


def test_a_redispatched_claim_delivered_twice_still_runs_once(alice, manual_dispatch, agent_calls):
    run, lost = lost_claim(alice, manual_dispatch)
    StepRun.objects.filter(pk=lost[0]).update(claimed_until=timezone.now() - timedelta(seconds=1))
    engine.sweep()
    redispatched = manual_dispatch.take("execute_step")

    engine.execute_step(*redispatched)
    engine.execute_step(*redispatched)  # and the re-dispatch itself is delivered twice
    manual_dispatch.drain()

    run.refresh_from_db()
    assert run.status == "succeeded"
    assert [c["query"] for c in agent_calls()] == ["one", "two"]
    assert len(rows(run)) == 2


def test_a_long_step_keeps_its_claim_alive_so_the_sweeper_leaves_it(
    alice, engine_settings, agent_calls
):
    engine_settings.BATON_STEP_LEASE_SECONDS = 0.6  # renewed every 0.2 s while the step runs
    make_agent("slow", "Sleeps.")
    run = start(
        alice,
        {
            "name": "long",
            "steps": [{"id": "nap", "type": "agent", "agent": "slow", "input": {"seconds": 1.5}}],
        },
    )
    wait_until(lambda: step(run, "nap").status == "running", what="the step to start")
    time.sleep(0.9)  # past the first lease

    assert engine.sweep()["reclaimed"] == 0
    run = wait_for(run)
    assert run.status == "succeeded"
    assert [c["agent"] for c in agent_calls()] == ["slow"]
