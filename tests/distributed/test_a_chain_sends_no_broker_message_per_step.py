"""Budget, not timing (distributed mode, a real worker, a real Redis): the broker messages a
run sends, seen by Redis's MONITOR as pushes onto Celery's queues. The worker runs the next
step of a chain itself, so a ten-step chain sends no more messages than one step, plus a
small margin for a step the worker had no free slot for. Measured when set: 2 per run, for
one step and for ten."""

import pytest
from django.conf import settings

from tests.budgets.plans import chain
from tests.distributed.broker import BrokerPushes
from tests.engine.coordinator_plans import register_team
from tests.engine_helpers import start, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.DISTRIBUTED, reason="counts a real broker's messages"),
]

MESSAGES_PER_RUN = 3
MARGIN = 2


def pushes_for(user, steps: int) -> int:
    with BrokerPushes(settings.REDIS_URL) as pushes:
        run = wait_for(start(user, chain(steps), query="hi"))
    assert run.status == "succeeded", run.error
    return pushes.count


def test_a_ten_step_chain_sends_about_as_many_messages_as_one_step(alice, engine_settings):
    register_team()
    single = pushes_for(alice, 1)
    longer = pushes_for(alice, 10)
    assert 1 <= single <= MESSAGES_PER_RUN, single
    assert longer <= single + MARGIN, f"{longer} messages for 10 steps, {single} for one"
