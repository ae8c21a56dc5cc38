"""Budget, not timing (distributed mode, a real worker, a real Redis): a coordinator's eight
independent stages start on the worker that planned them, and its synthesis on the thread
that recorded the last stage, so the whole run sends about as many broker messages as a
one-step run. Measured when set: 2."""

import pytest
from django.conf import settings

from coordinator.models import StepRun
from tests.distributed.broker import BrokerPushes
from tests.engine.coordinator_plans import EIGHT_ASKS, EIGHT_ASKS_AGENTS, coordinator_plan
from tests.engine_helpers import make_agent, start, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.DISTRIBUTED, reason="counts a real broker's messages"),
]

MESSAGES_PER_RUN = 3  # as for a chain (test_a_chain_sends_no_broker_message_per_step)


def test_eight_stages_and_the_synthesis_send_no_message_of_their_own(alice, engine_settings):
    for slug, description in EIGHT_ASKS_AGENTS.items():
        make_agent(slug, description, fn="echo")
    plan = coordinator_plan(agents=list(EIGHT_ASKS_AGENTS), enable_reflection=False)
    with BrokerPushes(settings.REDIS_URL) as pushes:
        run = wait_for(start(alice, plan, query=EIGHT_ASKS))

    assert run.status == "succeeded", run.error
    stages = StepRun.objects.filter(run=run, parent="coord", status="succeeded")
    assert stages.count() == len(EIGHT_ASKS_AGENTS)
    assert run.result["output"]["stage"] == "done"
    assert pushes.count <= MESSAGES_PER_RUN, f"{pushes.count} messages for 8 stages"
