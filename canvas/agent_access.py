"""Which registry agents a user's plans may use: the one place that decides it, so plan
generation and adaptive re-planning follow the same tenancy rule as plan agent names."""

from canvas.models import Agent


def usable_agents(user) -> list[Agent]:
    """Enabled agents a run acting for `user` can call, one per slug as `user` resolves it
    (own, then team, then shared with all teams), ordered by slug."""
    enabled = Agent.objects.filter(enabled=True)
    slugs = enabled.usable_by(user).values_list("slug", flat=True)
    by_slug = enabled.resolve_many(user, slugs)
    return [by_slug[slug] for slug in sorted(by_slug)]
