"""Routing with 20 agents takes well under 5 ms a query (the index is built once)."""

import json
import statistics
import time
from pathlib import Path

from coordinator.offline.router import AgentProfile, build_index, route

DEV = Path(__file__).resolve().parents[2] / "bench" / "routing" / "dev.json"


def test_the_median_route_with_twenty_agents_is_under_five_milliseconds():
    data = json.loads(DEV.read_text())
    agents = [AgentProfile(a["slug"], a["name"], a["description"]) for a in data["agents"]]
    assert len(agents) >= 20
    queries = [c["query"] for c in data["cases"]]
    route("warm up", agents)
    timings = []
    for i, query in enumerate(queries):
        start = time.perf_counter()
        route(f"{query} #{i}", agents)  # a fresh query each time: no decision cache hits
        timings.append((time.perf_counter() - start) * 1000)
    assert statistics.median(timings) < 5.0


def test_the_index_is_cached_per_agent_set():
    agents = [AgentProfile("a", "A", "Weather forecasts."), AgentProfile("b", "B", "Invoices.")]
    assert build_index(agents) is build_index(list(agents))
    changed = [AgentProfile("a", "A", "Weather forecasts and alerts."), agents[1]]
    assert build_index(changed) is not build_index(agents)
