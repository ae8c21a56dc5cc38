"""Routing builds the index of an agent set once, however many queries it routes (how fast a
query is routed: bench/pure_speed.py)."""

import json
from pathlib import Path

from coordinator.offline import router
from coordinator.offline.router import AgentProfile, build_index, route

DEV = Path(__file__).resolve().parents[2] / "bench" / "routing" / "dev.json"


def test_routing_ninety_fresh_queries_builds_the_index_of_twenty_agents_once():
    data = json.loads(DEV.read_text())
    agents = [AgentProfile(a["slug"], a["name"], a["description"]) for a in data["agents"]]
    assert len(agents) >= 20
    queries = [c["query"] for c in data["cases"]]
    assert len(queries) >= 90
    route("warm up", agents)
    before = router._build_index.cache_info()
    for i, query in enumerate(queries):
        route(f"{query} #{i}", agents)  # a fresh query each time: no decision cache hits
    after = router._build_index.cache_info()
    assert after.misses == before.misses  # no index built again
    assert after.hits > before.hits


def test_the_index_is_cached_per_agent_set():
    agents = [AgentProfile("a", "A", "Weather forecasts."), AgentProfile("b", "B", "Invoices.")]
    assert build_index(agents) is build_index(list(agents))
    changed = [AgentProfile("a", "A", "Weather forecasts and alerts."), agents[1]]
    assert build_index(changed) is not build_index(agents)
