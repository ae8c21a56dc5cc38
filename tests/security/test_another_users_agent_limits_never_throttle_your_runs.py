"""An agent's max_concurrency applies to the agent a run's user means by its slug: another
user registering the same slug with a limit of 1 does not hold back anyone else's steps."""

import pytest

from coordinator.limits import _cache, admit
from coordinator.models import StepRun
from tests.engine_helpers import make_agent, start

pytestmark = pytest.mark.django_db

FAN = {
    "name": "fan",
    "steps": [{"id": f"s{i}", "type": "agent", "agent": "slow"} for i in range(3)],
}


@pytest.fixture(autouse=True)
def fresh_limits():
    _cache["at"] = 0.0


def test_a_same_slug_agent_with_a_limit_of_one_does_not_limit_the_shared_one(alice, charlie):
    make_agent("slow", "Sleeps.")  # shared with everyone, unlimited
    make_agent("slow", "Sleeps.", owner=charlie, max_concurrency=1)
    run = start(alice, FAN)  # rows only: nothing is dispatched before the test commits
    admitted, skipped = admit(run, list(StepRun.objects.filter(run=run)))
    assert (len(admitted), skipped) == (3, [])


def test_your_own_limit_still_applies(alice):
    make_agent("slow", "Sleeps.", owner=alice, max_concurrency=1)
    run = start(alice, FAN)
    admitted, _ = admit(run, list(StepRun.objects.filter(run=run)))
    assert len(admitted) == 1
