"""The demo's workspace-statistics agent is shared with everyone, so it counts and lists
only what the run's user may see: another user's canvas names, owners and runs never
appear in an answer."""

import pytest

from canvas import services
from canvas.models import Agent
from tests.engine_helpers import start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = {"name": "p", "steps": [{"id": "stats", "type": "agent", "agent": "workspace-stats"}]}


@pytest.fixture
def stats_agent(engine_settings):
    """The demo agent as seed_demo registers it (its callable is allowlisted by default)."""
    return Agent.objects.create(
        slug="workspace-stats",
        name="Stats",
        description="Counts canvases.",
        kind="python",
        kind_config={"callable": "demo.agents.workspace_statistics"},
        shared_with_all_teams=True,
    )


def test_another_users_canvases_are_not_counted_or_named(alice, charlie, stats_agent):
    services.create_canvas(owner=alice, name="Secret merger plan")
    run = wait_for(start(charlie, PLAN, query="workspace statistics"))
    assert run.status == "succeeded", run.error
    output = step(run, "stats").output
    assert "Secret merger plan" not in output["text"]
    assert all(r.get("owner") != "alice" for r in output["rows"])
    # charlie's own throwaway canvas (the run's) is all he sees
    assert output["stats"]["canvases"] == 1


def test_the_owner_sees_their_own(alice, stats_agent):
    services.create_canvas(owner=alice, name="Secret merger plan")
    run = wait_for(start(alice, PLAN, query="workspace statistics"))
    assert "Secret merger plan" in step(run, "stats").output["text"]
