"""A run keeps the agents it resolved on its own Run object for 2 s (tenancy.run_agents), so
a chain of fast steps resolves its agent once. What is kept is the agent the run's user
means by the slug: another user's run of the same slug resolves its own agent, and an agent
disabled meanwhile is no longer used once the 2 s are over."""

import pytest

from coordinator import clock
from coordinator.clock import ManualClock
from coordinator.tenancy import RESOLVED_SECONDS, run_agents
from tests.engine_helpers import make_agent, start

pytestmark = pytest.mark.django_db

ONE = {"name": "one", "steps": [{"id": "a", "type": "agent", "agent": "helper"}]}


def test_two_users_runs_resolve_the_same_slug_to_their_own_agents(alice, charlie):
    alices = make_agent("helper", "Alice's helper.", owner=alice)
    charlies = make_agent("helper", "Charlie's helper.", owner=charlie)
    alice_run, charlie_run = start(alice, ONE), start(charlie, ONE)
    assert run_agents(alice_run, ["helper"]) == {"helper": alices}
    assert run_agents(charlie_run, ["helper"]) == {"helper": charlies}
    assert run_agents(alice_run, ["helper"]) == {"helper": alices}


def test_a_kept_agent_is_used_without_a_query_and_a_disabled_one_is_dropped_after_two_seconds(
    alice, django_assert_num_queries
):
    helper = make_agent("helper", "Helps.", owner=alice)
    run = start(alice, ONE)
    with clock.use(ManualClock()) as manual:
        assert run_agents(run, ["helper"]) == {"helper": helper}
        helper.enabled = False
        helper.save()
        with django_assert_num_queries(0):
            assert run_agents(run, ["helper"]) == {"helper": helper}
        manual.advance(RESOLVED_SECONDS)
        assert run_agents(run, ["helper"]) == {}
