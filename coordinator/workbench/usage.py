"""How agents are used: invocations, success rate, p50 latency and cost over the last 7 and
30 days, and the canvases that use them. One query each for a whole page of agents.

An invocation is one attempt of an agent step (a retry is another invocation). The success
rate is over attempts that finished (succeeded or failed); latency over those with both
timestamps; cost over every attempt.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from canvas.models import CanvasVersion
from coordinator import clock
from coordinator.models import StepRun

WINDOWS = (7, 30)


@dataclass
class Usage:
    invocations: int = 0
    succeeded: int = 0
    failed: int = 0
    cost_usd: float = 0.0
    durations_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def success_rate(self) -> float | None:
        finished = self.succeeded + self.failed
        return round(self.succeeded / finished, 4) if finished else None

    @property
    def p50_ms(self) -> float | None:
        return round(statistics.median(self.durations_ms), 1) if self.durations_ms else None

    def as_dict(self) -> dict:
        return {
            "invocations": self.invocations,
            "success_rate": self.success_rate,
            "p50_ms": self.p50_ms,
            "cost_usd": round(self.cost_usd, 6),
        }


def usage_by_agent(slugs: Iterable[str]) -> dict[str, dict[int, Usage]]:
    """slug → {7: Usage, 30: Usage} for the agents ``slugs`` (one query)."""
    slugs = list(slugs)
    now = clock.now()
    out = {slug: {days: Usage() for days in WINDOWS} for slug in slugs}
    if not slugs:
        return out
    since = {days: now - timedelta(days=days) for days in WINDOWS}
    rows = StepRun.objects.filter(
        type="agent", agent__in=slugs, started_at__gte=since[max(WINDOWS)]
    ).values_list("agent", "status", "started_at", "finished_at", "cost_usd")
    for agent, status, started, finished, cost in rows.iterator():
        for days in WINDOWS:
            if started < since[days]:
                continue
            usage = out[agent][days]
            usage.invocations += 1
            usage.cost_usd += cost or 0.0
            if status in ("succeeded", "failed"):
                setattr(usage, status, getattr(usage, status) + 1)
                if finished:
                    usage.durations_ms.append((finished - started).total_seconds() * 1000)
    return out


def agents_in_graph(graph: dict) -> set[str]:
    """The registry agents a canvas graph uses: sub_agent nodes and coordinators' lists."""
    found: set[str] = set()
    for node in (graph or {}).get("nodes") or []:
        config = ((node or {}).get("data") or {}).get("config") or {}
        if node.get("type") == "sub_agent" and isinstance(config.get("agent"), str):
            found.add(config["agent"])
        if node.get("type") == "coordinator":
            found.update(s for s in config.get("sub_agents") or [] if isinstance(s, str))
    return found


def canvases_by_agent(slugs: Iterable[str]) -> dict[str, list[str]]:
    """slug → names of the canvases whose current version uses it (one query)."""
    from django.db.models import F

    wanted = set(slugs)
    out: dict[str, list[str]] = {slug: [] for slug in wanted}
    current = CanvasVersion.objects.filter(number=F("canvas__latest_version")).values_list(
        "canvas__name", "graph"
    )
    for name, graph in current.order_by("canvas__name").iterator():
        for slug in agents_in_graph(graph) & wanted:
            out[slug].append(name)
    return out
