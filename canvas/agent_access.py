"""Which registry agents a user's plans may use: the one place that decides it, so plan
generation (and anything else choosing agents for a user) follows the same rule."""

from canvas.models import Agent


def usable_agents(user):
    """Agents a run started by `user` can call: today, every enabled agent."""
    return Agent.objects.filter(enabled=True).order_by("slug")
