"""Whose agents, canvases and connections a run may reach.

A run acts for the user who started it (a nested run inherits its parent's), or, for runs
nobody started (CLI, triggers), for its canvas's owner. Every way a run reaches another
object — plan agent names, fallbacks, adaptive alternatives, load balancing, canvas-kind
agents, sub-plans, model connections — resolves among what this user may use.
"""

from __future__ import annotations

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
        found = Agent.objects.filter(enabled=True).resolve_many(principal(run), missing)
        kept.update({slug: (now, found.get(slug)) for slug in missing})
    return {slug: kept[slug][1] for slug in slugs if kept[slug][1] is not None}
