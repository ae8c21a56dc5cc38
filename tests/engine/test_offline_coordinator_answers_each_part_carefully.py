"""With baton/local, the docs assistant plans and answers like a careful person: two
independent asks run in parallel, each part is answered under its own heading with the
direct answer first, and a follow-up's "its" is read from the previous turn."""

import pytest

from canvas.models import Agent
from coordinator.models import StepRun
from demo.management.commands.seed_demo import DEMO_AGENTS, DOCS_ASSISTANT_AGENTS
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_canvas, start, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "How many runs failed, and how do I write good agent descriptions?"


@pytest.fixture
def docs_assistant(engine_settings):
    for spec in DEMO_AGENTS:
        if spec["slug"] in DOCS_ASSISTANT_AGENTS:
            Agent.objects.create(
                slug=spec["slug"],
                name=spec["name"],
                description=spec["description"],
                capabilities=spec["capabilities"],
                kind="python",
                kind_config={"callable": "demo.agents." + spec["callable"]},
                shared_with_all_teams=True,  # as seed_demo shares them
            )
    return coordinator_plan(agents=list(DOCS_ASSISTANT_AGENTS))


def test_independent_asks_run_in_parallel_and_are_answered_part_by_part(alice, docs_assistant):
    run = wait_for(start(alice, docs_assistant, query=QUESTION))
    assert run.status == "succeeded", run.error
    stages = {c.agent: c for c in StepRun.objects.filter(run=run, parent="coord")}
    assert set(stages) == {"workspace-stats", "search-docs"}
    assert all(c.depends_on == [] for c in stages.values())  # neither waits on the other
    answer = run.result["answer"]
    stats, docs = answer.split("### How do I write good agent descriptions?")
    assert stats.startswith("### How many runs failed?\n\n0 runs failed (of ")
    assert "(From " in docs and "No agent could answer" not in answer
    assert "workspace-stats:" not in answer and "**search-docs**" not in answer


def test_a_follow_up_reads_its_from_the_previous_turn(alice, docs_assistant):
    canvas = make_canvas(alice, slug="docs-follow-up")
    history = [
        {"role": "user", "content": "How do I set the sub-agent timeout?"},
        {"role": "assistant", "content": "Set sub_agent_timeout on the coordinator."},
    ]
    run = wait_for(
        start(alice, docs_assistant, query="what is its default?", canvas=canvas, history=history)
    )
    assert run.status == "succeeded", run.error
    coord = StepRun.objects.get(run=run, step_id="coord")
    assert coord.output["follow_up"] == {
        "asked": "what is its default?",
        "refers_to": "sub-agent timeout",
    }
    stage = StepRun.objects.get(run=run, parent="coord")
    assert stage.spec["query"] == "what is the sub-agent timeout's default?"
    assert "timeout" in run.result["answer"].lower()
