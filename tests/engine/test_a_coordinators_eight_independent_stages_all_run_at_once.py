"""Parallelism without timing: eight independent asks of one HIGH coordinator run become eight
stages that are all executing at the same moment. Each stage's agent logs its call and then
holds until the test releases it, so the test sees all eight holding before any has finished;
if the engine (or the plan) admitted fewer at once, the rest would never be called and the
wait gives up. The query and agents are bench/parallel.py's."""

import pytest

from coordinator.models import StepRun
from tests.engine.coordinator_plans import EIGHT_ASKS, EIGHT_ASKS_AGENTS, coordinator_plan
from tests.engine_helpers import make_agent, start, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_all_eight_stages_hold_at_once_before_any_is_released(
    alice, engine_settings, release, agent_calls
):
    for slug, description in EIGHT_ASKS_AGENTS.items():
        make_agent(slug, description, fn="held")
    run = start(
        alice, coordinator_plan(agents=list(EIGHT_ASKS_AGENTS), enable_reflection=False), EIGHT_ASKS
    )

    holding = wait_until(
        lambda: (calls := agent_calls()) and len(calls) == len(EIGHT_ASKS_AGENTS) and calls,
        what="all eight stages holding at once",
    )
    assert sorted(c["query"] for c in holding) == sorted(
        [
            "Give me the weather in Paris",
            "the latest stock quotes",
            "today's news headlines",
            "our revenue by region",
            "my meetings tomorrow",
            "the delivery status of my parcel",
            "the euro to dollar exchange rate",
            "translate hello into German",
        ]
    )
    assert not StepRun.objects.filter(run=run, parent="coord").exclude(status="running").exists()
    release()
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    stages = list(StepRun.objects.filter(run=run, parent="coord"))
    assert sorted(s.agent for s in stages) == sorted(EIGHT_ASKS_AGENTS)
    assert all(s.status == "succeeded" and s.depends_on == [] for s in stages)
