"""Limits that span steps and runs: an agent's max concurrency and a run's cost budget.

Steps over an agent's concurrency stay pending and are woken when a slot frees; stages past
the coordinator's cost budget are skipped with the reason.
"""

from __future__ import annotations

import threading
import time

from django.db import connection
from django.db.models import Sum

from canvas.models import Agent
from coordinator.engine.statements import multi_statement
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
    limits, running = _limits_and_running([a.pk for a in resolved.values()])
    limited = set(limits)
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


def _limits_and_running(agent_ids: list[int]) -> tuple[dict[str, int], dict[str, int]]:
    """({slug: max concurrency}, {slug: steps running}) of those of the agents that have a
    limit, their rows locked first (PostgreSQL) so admissions of one agent are serialised.
    The running steps are counted after the lock is held, by a statement of their own on
    PostgreSQL (each statement of a read-committed transaction sees what committed before it
    began: the steps the lock's last holder claimed), sent in the same round trip when the
    cursor can; on SQLite, whose writer lock the transaction holds already, one statement."""
    if not agent_ids:
        return {}, {}
    q = connection.ops.quote_name
    agents, steps = q(Agent._meta.db_table), q(StepRun._meta.db_table)
    ids = ", ".join(["%s"] * len(agent_ids))
    chosen = f"FROM {agents} WHERE {q('id')} IN ({ids}) AND {q('max_concurrency')} > 0"
    count = (
        f"SELECT {q('agent')}, COUNT({q('id')}) FROM {steps} WHERE {q('status')} = %s"  # noqa: S608
        f" AND {q('agent')} IN (SELECT {q('slug')} {chosen}) GROUP BY {q('agent')}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT a.{q('slug')}, a.{q('max_concurrency')}, (SELECT COUNT(*) FROM {steps} s"  # noqa: S608
                f" WHERE s.{q('agent')} = a.{q('slug')} AND s.{q('status')} = %s)"
                f" FROM {agents} a WHERE a.{q('id')} IN ({ids}) AND a.{q('max_concurrency')} > 0",
                [StepStatus.RUNNING, *agent_ids],
            )
            rows = cursor.fetchall()
            return {s: n for s, n, _ in rows}, {s: c for s, _, c in rows if c}
        lock = f"SELECT {q('slug')}, {q('max_concurrency')} {chosen} FOR UPDATE"  # noqa: S608
        if multi_statement(cursor):
            cursor.execute(f"{lock}; {count}", [*agent_ids, StepStatus.RUNNING, *agent_ids])
            limits = dict(cursor.fetchall())
            cursor.nextset()
            return limits, dict(cursor.fetchall())
        cursor.execute(lock, agent_ids)
        limits = dict(cursor.fetchall())
        if not limits:
            return {}, {}
        cursor.execute(count, [StepStatus.RUNNING, *agent_ids])
        return limits, dict(cursor.fetchall())


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
