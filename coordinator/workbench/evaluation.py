"""Routing accuracy over labelled cases (phases 1–2 only): the figures of bench_routing and
of a stored test-set run. Pure: agents, cases and a route function in; figures out."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from coordinator.offline.router import AgentProfile, route

LOCAL_MODEL = "baton/local"
NO_AGENT = "(none)"


@dataclass
class Routed:
    level: str
    agents: list[str]
    reasons: list[str] = field(default_factory=list)


RouteFn = Callable[[str, list[AgentProfile]], Routed]


def local_route(query: str, agents: list[AgentProfile]) -> Routed:
    decision = route(query, agents)
    return Routed(decision.level, list(decision.agents), list(decision.reasons))


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def expected_of(case: dict[str, Any]) -> tuple[str, list[str]]:
    """A case's expected level and agents; no agents means NONE whatever the level says."""
    agents = list(case.get("agents") or [])
    return ((case.get("level") or "").upper() if agents else "NONE"), agents


def _agent_confusion(confusion: dict[str, dict[str, Any]], expected: list[str], got: list[str]):
    """Per agent: how often it was expected, selected when expected, what was chosen
    instead when it was missed, and how often it was selected when not expected."""
    for slug in expected:
        row = confusion.setdefault(slug, _row())
        row["expected"] += 1
        if slug in got:
            row["selected"] += 1
        else:
            instead = [g for g in got if g not in expected] or [NO_AGENT]
            for other in instead:
                row["instead"][other] = row["instead"].get(other, 0) + 1
    for slug in got:
        if slug not in expected:
            confusion.setdefault(slug, _row())["unexpected"] += 1


def _row() -> dict[str, Any]:
    return {"expected": 0, "selected": 0, "unexpected": 0, "instead": {}}


def evaluate(
    agents: list[AgentProfile], cases: list[dict[str, Any]], route_fn: RouteFn, warmup: bool = True
) -> dict[str, Any]:
    """Figures for ``route_fn`` over ``cases``, the level confusion, the per-agent
    confusion, every miss with the router's reasons and every case's outcome."""
    if warmup and cases:
        route_fn("warm-up", agents)  # builds the index once; not a per-route cost
    level_hits = set_hits = top1_hits = top1_total = none_hits = none_total = 0
    confusion: dict[str, dict[str, int]] = {}
    per_agent: dict[str, dict[str, Any]] = {}
    misses: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    timings: list[float] = []
    for case in cases:
        expected_level, expected_agents = expected_of(case)
        start = time.perf_counter()
        got = route_fn(case["query"], agents)
        timings.append((time.perf_counter() - start) * 1000)
        level_ok = got.level == expected_level
        set_ok = set(got.agents) == set(expected_agents)
        level_hits += level_ok
        set_hits += set_ok
        if not expected_agents:
            none_total += 1
            none_hits += got.level == "NONE"
        elif expected_level == "LOW":
            top1_total += 1
            top1_hits += bool(got.agents) and got.agents[0] == expected_agents[0]
        row = confusion.setdefault(expected_level, {})
        row[got.level] = row.get(got.level, 0) + 1
        _agent_confusion(per_agent, expected_agents, got.agents)
        ok = level_ok and set_ok
        outcomes.append(
            {"query": case["query"], "ok": ok, "level": got.level, "agents": got.agents}
        )
        if not ok:
            misses.append(
                {
                    "query": case["query"],
                    "expected": {"level": expected_level, "agents": expected_agents},
                    "got": {"level": got.level, "agents": got.agents},
                    "reasons": got.reasons,
                }
            )
    total = len(cases)
    return {
        "figures": {
            "level_accuracy": _ratio(level_hits, total),
            "agent_set_accuracy": _ratio(set_hits, total),
            "top1_accuracy": _ratio(top1_hits, top1_total),
            "none_accuracy": _ratio(none_hits, none_total),
            "cases": total,
            "agents": len(agents),
            "p50_ms": round(_percentile(timings, 50), 3),
            "p95_ms": round(_percentile(timings, 95), 3),
        },
        "confusion": confusion,
        "agent_confusion": dict(sorted(per_agent.items())),
        "misses": misses,
        "outcomes": outcomes,
    }
