"""A parallel step runs its branches concurrently (at most `concurrency` at once) and, when a
branch fails, stops the rest (fail_fast), carries on (continue) or finishes them then fails
(wait_all)."""

import pytest

from tests.engine_helpers import make_agent, rows, start, step, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def naps(count: int, seconds: float = 0.1) -> list[dict]:
    return [
        {"id": f"nap{i}", "type": "agent", "agent": "slow", "input": {"seconds": seconds}}
        for i in range(count)
    ]


def parallel_plan(branches: list[dict], **options) -> dict:
    return {
        "name": "fan-out",
        "steps": [
            {"id": "fan", "type": "parallel", "branches": branches, **options},
            {
                "id": "after",
                "type": "transform",
                "depends_on": ["fan"],
                "output": {"failed": "{{ steps.fan.output.failed }}"},
            },
        ],
    }


def most_at_once(branch_rows) -> int:
    """The largest number of branches whose [started, finished] intervals overlap."""
    points = sorted(
        [(r.started_at, 1) for r in branch_rows] + [(r.finished_at, -1) for r in branch_rows],
        key=lambda p: (p[0], p[1]),
    )
    running = peak = 0
    for _, delta in points:
        running += delta
        peak = max(peak, running)
    return peak


def test_branches_never_exceed_the_concurrency_limit(alice, engine_settings, agent_calls):
    make_agent("slow", "Sleeps.")
    run = wait_for(start(alice, parallel_plan(naps(4), concurrency=2)))

    assert run.status == "succeeded", run.error
    branches = rows(run, parent="fan")
    assert len(branches) == 4 and all(b.status == "succeeded" for b in branches)
    assert most_at_once(branches) <= 2
    assert [c["agent"] for c in agent_calls()] == ["slow"] * 4
    output = step(run, "fan").output
    assert output["failed"] == []
    assert set(output["branches"]) == {"nap0", "nap1", "nap2", "nap3"}
    assert output["branches"]["nap0"] == {"status": "succeeded", "output": {"text": "slept 0.1"}}


def test_concurrency_one_runs_branches_one_after_another(alice, engine_settings):
    make_agent("slow", "Sleeps.")
    run = wait_for(start(alice, parallel_plan(naps(3, 0.05), concurrency=1)))

    assert run.status == "succeeded"
    assert most_at_once(rows(run, parent="fan")) == 1


def test_without_a_limit_every_branch_starts_before_the_first_finishes(
    alice, engine_settings, release, agent_calls
):
    # Each branch logs its call, then holds until released: all eight holding at once is
    # seen without timing; if fewer ran at once, the rest would never be called. (The agent's
    # own limit, 4 at once by default, is lifted: this is about the parallel step.)
    make_agent("slow", "Holds until the test releases it.", fn="held", max_concurrency=0)
    run = start(alice, parallel_plan(naps(8)))

    wait_until(lambda: len(agent_calls()) == 8, what="all eight branches holding at once")
    assert set(rows(run, parent="fan", status="running")) == set(rows(run, parent="fan"))
    release()
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert most_at_once(rows(run, parent="fan")) == 8


def failing_then_naps() -> list[dict]:
    return [{"id": "broken", "type": "agent", "agent": "failing"}, *naps(2, 0.05)]


def test_fail_fast_skips_the_branches_not_yet_started_and_fails_the_run(
    alice, engine_settings, agent_calls
):
    make_agent("slow", "Sleeps.")
    make_agent("failing", "Always fails.")
    run = wait_for(
        start(alice, parallel_plan(failing_then_naps(), concurrency=1, on_failure="fail_fast"))
    )

    assert run.status == "failed"
    assert step(run, "broken").status == "failed"
    assert step(run, "nap0").status == "skipped"
    assert step(run, "nap0").error == "stopped after broken failed"
    assert step(run, "fan").status == "failed"
    assert "branches failed: broken" in step(run, "fan").error
    assert step(run, "after").status == "skipped"
    assert [c["agent"] for c in agent_calls()] == ["failing"]
    assert run.result["failed_agents"] == ["failing"]


def test_continue_runs_every_branch_and_succeeds_naming_the_failure(
    alice, engine_settings, agent_calls
):
    make_agent("slow", "Sleeps.")
    make_agent("failing", "Always fails.")
    run = wait_for(
        start(alice, parallel_plan(failing_then_naps(), concurrency=1, on_failure="continue"))
    )

    assert run.status == "succeeded", run.error
    assert step(run, "fan").status == "succeeded"
    assert step(run, "fan").output["failed"] == ["broken"]
    assert step(run, "after").output == {"failed": ["broken"]}
    assert sorted(c["agent"] for c in agent_calls()) == ["failing", "slow", "slow"]
    assert run.result["failed_agents"] == ["failing"]


def test_wait_all_runs_every_branch_then_fails(alice, engine_settings, agent_calls):
    make_agent("slow", "Sleeps.")
    make_agent("failing", "Always fails.")
    run = wait_for(
        start(alice, parallel_plan(failing_then_naps(), concurrency=1, on_failure="wait_all"))
    )

    assert run.status == "failed"
    assert step(run, "nap0").status == "succeeded"
    assert step(run, "nap1").status == "succeeded"
    assert step(run, "fan").status == "failed"
    assert step(run, "fan").output["failed"] == ["broken"]
    assert sorted(c["agent"] for c in agent_calls()) == ["failing", "slow", "slow"]


def test_a_branch_retries_before_it_counts_as_failed(alice, engine_settings, agent_calls):
    make_agent("flaky", "Fails once.")
    make_agent("slow", "Sleeps.")
    run = wait_for(
        start(
            alice,
            parallel_plan(
                [{"id": "shaky", "type": "agent", "agent": "flaky", "retries": 1}, *naps(1, 0.05)]
            ),
        )
    )

    assert run.status == "succeeded", run.error
    assert step(run, "shaky").attempt == 2
    assert step(run, "fan").output["failed"] == []
    assert [c["agent"] for c in agent_calls()].count("flaky") == 2
