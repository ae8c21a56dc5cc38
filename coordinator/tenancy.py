"""Whose agents, canvases and connections a run may reach.

A run acts for the user who started it (a nested run inherits its parent's), or, for runs
nobody started (CLI, triggers), for its canvas's owner. Every way a run reaches another
object — plan agent names, fallbacks, adaptive alternatives, load balancing, canvas-kind
agents, sub-plans, model connections — resolves among what this user may use.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import connection

from canvas.models import Agent
from coordinator import clock

#: how long a Run object keeps the agents it resolved (the agents' limits are cached as long)
RESOLVED_SECONDS = 2.0


def principal(run):
    return run.created_by if run.created_by_id else run.canvas.owner


def run_agents(run, slugs) -> dict:
    """{slug: the enabled agent it names for the run's user} for the slugs that name one.
    Kept on the Run object for a couple of seconds: the thread that runs a chain of a run's
    steps keeps its Run, so claiming and executing fast steps resolve an agent once, not at
    each claim and each call. Kept per run (whose user never changes), never per user or
    slug alone; an agent edited, disabled or no longer shared is seen 2 s later at most."""
    kept = run.__dict__.setdefault("_resolved_agents", {})
    now = clock.monotonic()
    missing = [s for s in slugs if s not in kept or now - kept[s][0] >= RESOLVED_SECONDS]
    if missing:
        found = _resolve_enabled(_principal_id(run), missing)
        kept.update({slug: (now, found.get(slug)) for slug in missing})
    return {slug: kept[slug][1] for slug in slugs if kept[slug][1] is not None}


def _principal_id(run):
    """principal(run)'s id, without reading the user: the rule below needs only the id."""
    return run.created_by_id if run.created_by_id else run.canvas.owner_id


def _resolve_enabled(user_id, slugs) -> dict:
    """`Agent.objects.filter(enabled=True).resolve_many(user, slugs)` as one hand-written
    query: the same rule (AgentQuerySet.usable_by: the user's own agents, their teams', and
    those shared with every team; then ranked_for: own, then team, then shared, oldest first
    in each tier), each agent's tier computed by the database. The ORM spent twenty times
    the query's own time building it and its DISTINCT, which the rule's flat condition never
    needed (no join multiplies rows)."""
    if user_id is None or not slugs:
        return {}
    slugs = list(slugs)
    teams = teams_of_sql()
    table = q(Agent._meta.db_table)
    columns = ", ".join(f"{table}.{q(f.column)}" for f in Agent._meta.concrete_fields)
    sql = (
        f"SELECT {columns}, CASE WHEN {table}.{q('owner_id')} = %s THEN 0"  # noqa: S608
        f" WHEN {table}.{q('team_id')} IN ({teams}) THEN 1 ELSE 2 END AS baton_tier"
        f" FROM {table} WHERE {table}.{q('enabled')} = %s"
        f" AND {table}.{q('slug')} IN ({', '.join(['%s'] * len(slugs))})"
        f" AND ({table}.{q('owner_id')} = %s OR {table}.{q('team_id')} IN ({teams})"
        f" OR {table}.{q('shared_with_all_teams')} = %s)"
    )
    params = [user_id, user_id, True, *slugs, user_id, user_id, True]
    agents = list(Agent.objects.raw(sql, params))
    agents.sort(key=lambda a: (a.baton_tier, a.created, str(a.pk)))  # ranked_for's order
    by_slug: dict = {}
    for agent in agents:
        del agent.baton_tier
        by_slug.setdefault(agent.slug, agent)
    return by_slug


def teams_of_sql() -> str:
    """A subquery of the ids of the teams of the user whose id is its one parameter."""
    members = User.groups.through._meta
    return (
        f"SELECT {q(members.get_field('group').column)} FROM {q(members.db_table)}"  # noqa: S608
        f" WHERE {q(members.get_field('user').column)} = %s"
    )


def visible_canvas_sql(canvas_table: str) -> str:
    """CanvasQuerySet.visible_to's rule — the user's own canvas, or one shared with one of
    their teams — as one flat condition on `canvas_table` (quoted) for hand-written queries;
    its parameters: the user's id, twice."""
    return (
        f"({canvas_table}.{q('owner_id')} = %s"
        f" OR {canvas_table}.{q('team_id')} IN ({teams_of_sql()}))"
    )


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def remember_agents(run, agents: dict) -> None:
    """Agents resolved for the run's user among all they may use ({slug: agent}, as
    `Agent.objects.resolve_many` gives them), kept as run_agents would have resolved them:
    where the first-ranked agent of a slug is enabled it is also the first enabled one. (A
    coordinator's planning resolves its candidates this way; the claims and calls of its
    stages then need not resolve them again.)"""
    kept = run.__dict__.setdefault("_resolved_agents", {})
    now = clock.monotonic()
    kept.update({slug: (now, a) for slug, a in agents.items() if a.enabled})
