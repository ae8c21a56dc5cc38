"""Limits that span steps and runs: an agent's max concurrency and a run's cost budget.

Steps over an agent's concurrency stay pending and are woken when a slot frees; stages past
the coordinator's cost budget are skipped with the reason.
"""

from __future__ import annotations

import threading
import time

from django.db.models import Count, Sum

from canvas.models import Agent
from coordinator.models import RUN_ACTIVE, StepRun, StepStatus
from coordinator.tenancy import run_agents

_CACHE_SECONDS = 2.0
_cache: dict = {"at": 0.0, "limits": {}}
_lock = threading.Lock()


def known_limits() -> dict[str, int]:
    """slug → max concurrency (0 = unlimited) of every agent, re-read every couple of seconds."""
    with _lock:
        if time.monotonic() - _cache["at"] > _CACHE_SECONDS:
            # Slugs are unique per owner: the largest limit of a slug's agents, so a slug is
            # "unlimited" (skipped below) only when every agent with it is.
            limits: dict[str, int] = {}
            for slug, n in Agent.objects.values_list("slug", "max_concurrency"):
                limits[slug] = max(limits.get(slug, 0), n)
            _cache["limits"] = limits
            _cache["at"] = time.monotonic()
        return _cache["limits"]


def agent_limits() -> dict[str, int]:
    """Agents that have a concurrency limit (cached; for best-effort wake-ups)."""
    return {slug: n for slug, n in known_limits().items() if n > 0}


def admit(run, ready: list[StepRun]) -> tuple[list[StepRun], list[tuple[StepRun, str]]]:
    """Split ready steps into those that may be claimed now and those to skip (with why).
    Steps held back by concurrency are in neither: they stay pending. Call inside the claiming
    transaction: the agents' rows are locked so two runs cannot both take the last slot."""
    known = known_limits()
    # Agents known to be unlimited skip the query. Any other agent's limit is read fresh and
    # its row locked: admissions of one agent are serialised across runs and workers, and a
    # new agent's limit applies at once (an unlimited agent given a limit is seen within 2 s).
    slugs = sorted(
        {r.agent for r in ready if r.type == "agent" and r.agent and known.get(r.agent) != 0}
    )
    # The limit is that of the agent each slug means for this run's user — the one its step
    # will call (another user's same-slug agent never throttles this run); its row is locked
    # to serialise admissions.
    resolved = run_agents(run, slugs) if slugs else {}
    limits = (
        dict(
            Agent.objects.select_for_update()
            .filter(pk__in=[a.pk for a in resolved.values()], max_concurrency__gt=0)
            .values_list("slug", "max_concurrency")
        )
        if resolved
        else {}
    )
    limited = set(limits)
    running = (
        dict(
            StepRun.objects.filter(agent__in=limited, status=StepStatus.RUNNING)
            .values_list("agent")
            .annotate(n=Count("id"))
        )
        if limited
        else {}
    )
    spent = None
    admitted, skipped = [], []
    for row in ready:
        cap = (row.spec.get("budget") or {}).get("max_cost_usd")
        if cap is not None:
            if spent is None:
                spent = StepRun.objects.filter(run=run).aggregate(c=Sum("cost_usd"))["c"] or 0.0
            if spent >= cap:
                skipped.append((row, f"cost budget of ${cap:g} exhausted (spent ${spent:.4f})"))
                continue
        if row.agent in limited:
            if running.get(row.agent, 0) >= limits[row.agent]:
                continue  # stays pending until a slot frees
            running[row.agent] = running.get(row.agent, 0) + 1
        admitted.append(row)
    return admitted, skipped


def runs_waiting_for(agent: str, except_run) -> list[str]:
    """Other active runs with steps held back for this agent's concurrency."""
    if agent not in agent_limits():
        return []
    ids = (
        StepRun.objects.filter(
            agent=agent, status=StepStatus.PENDING, superseded=False, run__status__in=RUN_ACTIVE
        )
        .exclude(run_id=except_run)
        .values_list("run_id", flat=True)
        .distinct()[:50]
    )
    return [str(i) for i in ids]
