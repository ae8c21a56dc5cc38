"""The agent list shows invocations, success rate, p50 latency and cost over 7 and 30 days,
the canvases using each agent and a description badge, in a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canvas import services
from canvas.models import Agent
from coordinator import clock
from coordinator.clock import ManualClock
from coordinator.models import Run, StepRun
from coordinator.workbench.usage import usage_by_agent
from tests.canvas.graph_factory import agent, begin, chain, graph, interact

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with clock.use(ManualClock(NOW)):
        yield


@pytest.fixture
def canvas(root, registry):
    g = graph(
        [begin(), agent("a", "billing"), agent("b", "weather"), interact()],
        chain("begin", "a", "b", "answer"),
    )
    return services.create_canvas(owner=root, name="Support desk", graph=g)


def step(run, slug, status, days_ago, seconds, cost, n):
    started = NOW - timedelta(days=days_ago)
    return StepRun.objects.create(
        run=run,
        step_id=f"s{n}",
        type="agent",
        spec={},
        agent=slug,
        status=status,
        started_at=started,
        finished_at=started + timedelta(seconds=seconds) if status != "running" else None,
        cost_usd=cost,
    )


@pytest.fixture
def runs(canvas):
    """billing: 4 attempts in the last week (3 ok at 1s, 2s, 4s; 1 failed at 10s), one older
    success (20 days, 6s) and one too old to count (40 days); weather: one running now."""
    run = Run.objects.create(canvas=canvas, plan={})
    rows = [
        ("billing", "succeeded", 1, 1, 0.01),
        ("billing", "succeeded", 2, 2, 0.02),
        ("billing", "succeeded", 3, 4, 0.03),
        ("billing", "failed", 6, 10, 0.04),
        ("billing", "succeeded", 20, 6, 0.10),
        ("billing", "succeeded", 40, 1, 5.00),
        ("weather", "running", 0, 0, 0.0),
    ]
    for n, (slug, status, days, seconds, cost) in enumerate(rows):
        step(run, slug, status, days, seconds, cost, n)


def test_usage_is_counted_per_window_from_a_fixed_set_of_runs(frozen, runs):
    usage = usage_by_agent(["billing", "weather", "refunds"])
    week, month = usage["billing"][7], usage["billing"][30]
    assert week.as_dict() == {
        "invocations": 4,
        "success_rate": 0.75,
        "p50_ms": 3000.0,
        "cost_usd": 0.1,
    }
    assert month.as_dict() == {
        "invocations": 5,
        "success_rate": 0.8,
        "p50_ms": 4000.0,
        "cost_usd": 0.2,
    }
    assert usage["weather"][7].as_dict() == {
        "invocations": 1,
        "success_rate": None,
        "p50_ms": None,
        "cost_usd": 0.0,
    }
    assert usage["refunds"][30].invocations == 0


def test_the_admin_list_shows_the_figures_canvases_and_badge(frozen, runs, admin_client):
    html = admin_client.get("/admin/canvas/agent/").content.decode()
    row = html.split('<a href="/admin/canvas/agent/')[1:]
    billing = next(r for r in row if r.split(">", 1)[1].startswith("billing<"))
    assert "4/5" in billing
    assert "75%/80%" in billing
    assert "3.0s/4.0s" in billing
    assert "$0.10/$0.20" in billing
    assert "Support desk" in billing
    assert "to fix" in billing  # billing overlaps refunds
    refunds = next(r for r in row if r.split(">", 1)[1].startswith("refunds<"))
    assert "0/0" in refunds and "–/–" in refunds


def test_the_list_page_costs_the_same_number_of_queries_for_many_agents(frozen, runs, admin_client):
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get("/admin/canvas/agent/").status_code == 200
    for i in range(12):
        Agent.objects.create(
            slug=f"extra-{i}", name=f"Extra {i}", description=f"Extra agent number {i}."
        )
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get("/admin/canvas/agent/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    usage_queries = [q for q in many.captured_queries if "coordinator_steprun" in q["sql"]]
    assert len(usage_queries) == 1
