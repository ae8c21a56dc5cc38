"""failure_handling: fail_fast stops at the first failure; retry_once retries after a backoff;
retry_with_fallback retries, then hands the stage to the agent's fallback or the next-best
capable agent; continue_partial synthesises what succeeded and names what failed."""

from datetime import timedelta

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import events, make_agent, rows, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SALES = "Sales analytics: revenue, income and sales figures per region and quarter."
WEATHER = "Weather forecasts: temperature, rain and wind for a city."
REVENUE = "How much revenue did we make last quarter?"
TWO_ASPECTS = "Show the revenue by region, and also the weather forecast for Paris tomorrow"


def agent_events(run) -> list[tuple[str, str]]:
    return [(e.type, e.agent) for e in run.events.order_by("seq") if e.type.startswith("agent.")]


def test_fail_fast_does_not_retry_and_skips_the_stages_after(alice, engine_settings, agent_calls):
    make_agent("sales", SALES, fn="failing")
    make_agent("weather", WEATHER)
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                failure_handling="fail_fast",
                coordination_strategy="parallel",
                parallel_execution=False,
            ),
            query=TWO_ASPECTS,
        )
    )

    assert run.status == "failed"
    assert run.error.startswith(
        "coord: sub-agent failed: sales (agent sales failed: RuntimeError: upstream"
    )
    first, second = StepRun.objects.filter(run=run, parent="coord").order_by("id")
    assert first.status == "failed" and first.attempt == 1
    assert second.status == "skipped"
    assert [c["agent"] for c in agent_calls()] == ["failing"]
    assert "agent.retrying" not in [t for t, _ in agent_events(run)]
    # reflection still reports, but does not send the failed stage out again
    assert step(run, "coord").output["phases"]["reflection"]["decision"]["retry_agents"] == [
        "sales"
    ]


def test_retry_once_recovers_from_a_transient_failure(alice, engine_settings, agent_calls):
    make_agent("sales", SALES, fn="flaky")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales"], failure_handling="retry_once", enable_reflection=False
            ),
            query=REVENUE,
        )
    )

    assert run.status == "succeeded", run.error
    assert agent_events(run) == [
        ("agent.started", "sales"),
        ("agent.failed", "sales"),
        ("agent.retrying", "sales"),
        ("agent.started", "sales"),
        ("agent.succeeded", "sales"),
    ]
    retrying = events(run, "agent.retrying")[0]
    assert retrying.data["attempt"] == 2 and retrying.data["delay_seconds"] == 0.01
    assert run.result["answer"] == "flaky succeeded on retry"
    assert len(agent_calls()) == 2


def test_retry_once_gives_up_after_one_retry_and_never_falls_back(
    alice, engine_settings, agent_calls
):
    backup = make_agent("backup", SALES, fn="sales")
    make_agent("sales", SALES, fn="failing", fallback=backup)
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales"], failure_handling="retry_once", enable_reflection=False
            ),
            query=REVENUE,
        )
    )

    assert run.status == "failed"
    assert [(r.attempt, r.agent, r.status) for r in rows(run, parent="coord")] == [
        (1, "sales", "failed"),
        (2, "sales", "failed"),
    ]
    assert [c["agent"] for c in agent_calls()] == ["failing", "failing"]
    assert events(run, "agent.fallback") == []


def test_retries_back_off_exponentially(alice, engine_settings):
    make_agent("failing", "Always fails.")
    run = wait_for(
        start(
            alice,
            {
                "name": "retries",
                "steps": [{"id": "call", "type": "agent", "agent": "failing", "retries": 2}],
            },
        )
    )

    assert run.status == "failed"
    assert [e.data["delay_seconds"] for e in events(run, "agent.retrying")] == [0.01, 0.02]
    attempts = rows(run, step_id="call")
    assert [a.attempt for a in attempts] == [1, 2, 3]
    for previous, retry, delay in zip(attempts, attempts[1:], (0.01, 0.02), strict=False):
        assert retry.started_at - previous.finished_at >= timedelta(seconds=delay)


def test_retry_with_fallback_hands_the_stage_to_the_agents_fallback(
    alice, engine_settings, agent_calls
):
    backup = make_agent("backup", "A second source of sales figures.", fn="sales")
    make_agent("sales", SALES, fn="failing", fallback=backup)
    make_agent("weather", WEATHER)
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["sales", "weather"], failure_handling="retry_with_fallback"),
            query=REVENUE,
        )
    )

    assert run.status == "succeeded", run.error
    assert agent_events(run) == [
        ("agent.started", "sales"),
        ("agent.failed", "sales"),
        ("agent.retrying", "sales"),
        ("agent.started", "sales"),
        ("agent.failed", "sales"),
        ("agent.fallback", "backup"),
        ("agent.started", "backup"),
        ("agent.succeeded", "backup"),
    ]
    fallback = events(run, "agent.fallback")[0]
    assert fallback.data["from"] == "sales" and fallback.data["to"] == "backup"
    final = step(run, "coord.s1-sales")
    assert (final.agent, final.attempt, final.status) == ("backup", 3, "succeeded")
    assert [c["agent"] for c in agent_calls()] == ["failing", "failing", "sales"]
    assert run.result["answer"] == "Revenue grew 12% in Q3 to 4.2 million dollars in sales."


def test_retry_with_fallback_uses_the_next_best_capable_agent_without_a_named_fallback(
    alice, engine_settings, agent_calls
):
    make_agent("alpha", SALES, fn="failing")
    make_agent("beta", SALES, fn="sales")
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["alpha", "beta"], failure_handling="retry_with_fallback"),
            query=REVENUE,
        )
    )

    assert run.status == "succeeded", run.error
    assert run.selection["agents"] == ["alpha"]
    fallback = events(run, "agent.fallback")[0]
    assert (fallback.data["from"], fallback.data["to"]) == ("alpha", "beta")
    assert [c["agent"] for c in agent_calls()] == ["failing", "failing", "sales"]


def test_retry_with_fallback_fails_when_every_candidate_failed(alice, engine_settings, agent_calls):
    make_agent("alpha", SALES, fn="failing")
    make_agent("beta", SALES, fn="failing")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["alpha", "beta"],
                failure_handling="retry_with_fallback",
                enable_reflection=False,
            ),
            query=REVENUE,
        )
    )

    assert run.status == "failed"
    assert [r.agent for r in rows(run, parent="coord")] == ["alpha", "alpha", "beta"]
    assert len(agent_calls()) == 3


def test_continue_partial_answers_with_what_succeeded_and_names_what_failed(
    alice, engine_settings, agent_calls
):
    make_agent("sales", SALES)
    make_agent("weather", WEATHER, fn="failing")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales", "weather"],
                failure_handling="continue_partial",
                enable_reflection=False,
            ),
            query=TWO_ASPECTS,
        )
    )

    assert run.status == "succeeded", run.error
    answer = run.result["answer"]
    assert answer.startswith("### Show the revenue by region\n\nRevenue grew 12% in Q3")
    assert (
        "No agent could answer this: weather failed (agent weather failed: RuntimeError: "
        "upstream service unavailable)." in answer
    )
    assert run.result["failed_agents"] == ["weather"]
    assert run.result["output"]["sources"] == ["sales"]
    assert sorted(c["agent"] for c in agent_calls()) == ["failing", "sales"]  # no retry


def test_continue_partial_with_nothing_succeeding_says_so(alice, engine_settings):
    make_agent("sales", SALES, fn="failing")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["sales"], failure_handling="continue_partial", enable_reflection=False
            ),
            query=REVENUE,
        )
    )

    assert run.status == "succeeded"
    assert run.result["answer"].startswith("No agent could answer this: sales failed (agent")
    assert run.result["failed_agents"] == ["sales"]
