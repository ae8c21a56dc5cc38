"""The same query and agents always give the same decision, whatever the agent order."""

import json
from pathlib import Path

from coordinator.offline import router
from coordinator.offline.router import AgentProfile, route

DEV = Path(__file__).resolve().parents[2] / "bench" / "routing" / "dev.json"


def dev_agents():
    data = json.loads(DEV.read_text())
    return [AgentProfile(a["slug"], a["name"], a["description"]) for a in data["agents"]]


QUERIES = [
    "Query the database for weekly signups and plot the results as a line graph",
    "What's the weather in Oslo tomorrow, how long is the drive from the airport, and am I free at 3pm?",
    "Recommend a good sci-fi novel",
    "Put our onboarding guide into Spanish",
]


def test_it_gives_identical_decisions_on_repeated_and_uncached_calls():
    agents = dev_agents()
    first = [route(q, agents) for q in QUERIES]
    router._analyse_cached.cache_clear()
    router._build_index.cache_clear()
    second = [route(q, agents) for q in QUERIES]
    assert first == second


def test_agent_order_does_not_change_the_decision():
    agents = dev_agents()
    for query in QUERIES:
        forward = route(query, agents)
        backward = route(query, list(reversed(agents)))
        assert (forward.level, forward.agents, forward.scores) == (
            backward.level,
            backward.agents,
            backward.scores,
        )


def test_ties_are_broken_by_slug():
    twins = [
        AgentProfile("b-weather", "Weather", "Weather forecasts."),
        AgentProfile("a-weather", "Weather", "Weather forecasts."),
    ]
    assert route("weather forecast", twins).agents == ["a-weather"]
