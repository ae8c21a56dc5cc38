"""Budget, not timing (distributed mode, a real worker, a real Redis): a pipeline's items are
handed to the next stage on the worker that produced them, not through the broker. Ten items
through three stages (a producer streaming them, then two stages per item) send about as
many messages as a one-step run, plus a small margin for a step the worker had no free slot
for. Measured when set: 3 messages; before the hand-over was local, 24 (an `advance` per item
per stage)."""

import pytest
from django.conf import settings

from coordinator.models import StepRun
from tests.distributed.broker import BrokerPushes
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.DISTRIBUTED, reason="counts a real broker's messages"),
]

MESSAGES_PER_RUN = 3  # as for a chain (test_a_chain_sends_no_broker_message_per_step)
MARGIN = 2
QUERY = "Generate numbers, then double each number, then square each doubled number"


def test_ten_items_through_three_stages_send_about_as_many_messages_as_one_step(
    alice, engine_settings
):
    make_agent(
        "numbers",
        "Generates a list of numbers: counts items and produces numbered records.",
        fn="ticker",
    )
    make_agent("double", "Doubles each number: multiplies values by two.")
    make_agent("square", "Squares each doubled number: multiplies a value by itself.", fn="double")
    plan = coordinator_plan(
        agents=["numbers", "double", "square"],
        coordination_strategy="pipeline",
        enable_reflection=False,
    )
    with BrokerPushes(settings.REDIS_URL) as pushes:
        run = wait_for(start(alice, plan, query=QUERY))

    assert run.status == "succeeded", run.error
    stages = StepRun.objects.filter(run=run, parent="coord", status="succeeded")
    assert stages.filter(agent="double").count() == 10
    assert stages.filter(agent="square").count() == 10
    assert pushes.count <= MESSAGES_PER_RUN + MARGIN, f"{pushes.count} messages for 10 items"
