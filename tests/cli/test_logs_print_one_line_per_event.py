"""`workflow logs RUN` prints the run's events as "seq time type phase/step agent summary"."""

import json
import re
import threading

import pytest

from coordinator import engine
from coordinator.models import RunEvent
from tests.cli import HELD_PLAN, NAP_PLAN, fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import make_agent, start, step, wait_for, wait_until
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)

LINE = re.compile(
    r"^ *(\d+) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) +(\S+) +(\S+)(?: +(.*))?$"
)


def test_every_event_is_one_line_in_order(alice, engine_settings):
    run = wait_for(engine.start_run(team_canvas(alice), user=alice, query="What was our revenue?"))
    result = workflow("logs", str(run.pk), "--user", "alice")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    stored = list(RunEvent.objects.filter(run=run).order_by("seq"))
    assert len(lines) == len(stored)
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    assert [int(m[1]) for m in parsed] == [e.seq for e in stored]
    assert [m[3] for m in parsed] == [e.type for e in stored]
    selection = next(m for m in parsed if m[3] == "phase.completed" and m[4] == "selection/coord")
    assert "agents: sales" in selection[6]
    agent = next(m for m in parsed if m[3] == "agent.succeeded")
    assert (agent[4], agent[5]) == ("coord.s1-sales", "sales")
    assert '"Revenue grew' in agent[6]


def test_after_skips_earlier_events_and_json_gives_the_messages(alice, engine_settings):
    run = wait_for(engine.start_run(team_canvas(alice), user=alice, query="What was our revenue?"))
    result = workflow("logs", str(run.pk), "--after", "3", "--json", "--user", "alice")
    messages = [json.loads(line) for line in result.out.splitlines()]
    assert messages[0]["seq"] == 4
    assert messages == [
        e.as_message() for e in RunEvent.objects.filter(run=run, seq__gt=3).order_by("seq")
    ]


def test_tail_follows_a_running_run_until_it_ends(alice, engine_settings, agent_calls):
    make_agent("nap", "Sleeps.")
    make_agent("echo", "Echoes.")
    run = start(alice, NAP_PLAN)
    result = workflow("logs", str(run.pk), "--tail", "--user", "alice")
    run.refresh_from_db()
    assert run.status == "succeeded"
    types = [line.split()[2] for line in result.out.splitlines()]
    assert types[0] == "run.queued"
    assert types[-1] == "run.succeeded"
    assert types.count("step.succeeded") == 2


def test_tail_ends_when_the_run_is_cancelled(alice, engine_settings, agent_calls, release):
    make_agent("held", "Holds until released.")
    make_agent("echo", "Echoes.")
    run = start(alice, HELD_PLAN)

    def cancel_while_held():
        wait_until(lambda: "held" in [c["agent"] for c in agent_calls()], what="held to run")
        engine.cancel(run, alice)

    canceller = threading.Thread(target=cancel_while_held)
    canceller.start()
    try:
        result = workflow("logs", str(run.pk), "--tail", "--user", "alice")
    finally:
        canceller.join()
        release()
        wait_until(lambda: step(run, "first").status != "running", what="held to finish")
    assert result.out.splitlines()[-1].split()[2] == "run.cancelled"
