"""A plan's `adaptive:` and `output:` live on the canvas (begin and interact nodes), so a plan
imported as a canvas and run from it revises failing steps and saves its result file."""

import pytest

from canvas import services
from canvas.graph import compile_graph, plan_to_graph
from canvas.yaml_io import plan_from_yaml, plan_to_yaml
from coordinator import engine
from tests.engine_helpers import embedded_only, events, make_agent, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

PLAN = """\
name: quarterly
steps:
  - id: figures
    type: agent
    agent: broken-sales
    query: How much revenue did we make last quarter?
result: figures
adaptive:
  enabled: true
  max_revisions: 2
  triggers:
    - condition: "step.status == 'failed'"
output:
  format: markdown
  destination: "reports/{{ run.id }}.md"
"""


@pytest.fixture
def media(engine_settings, tmp_path):
    engine_settings.MEDIA_ROOT = tmp_path / "media"
    engine_settings.MEDIA_ROOT.mkdir()
    return engine_settings.MEDIA_ROOT


def test_the_settings_are_on_the_begin_and_interact_nodes_and_come_back():
    plan = plan_from_yaml(PLAN)
    graph = plan_to_graph(plan)
    configs = {n["type"]: n["data"]["config"] for n in graph["nodes"]}
    assert configs["begin"]["adaptive"]["max_revisions"] == 2
    assert configs["interact"] == {"format": "markdown", "destination": "reports/{{ run.id }}.md"}
    again = compile_graph(graph, "quarterly")
    assert again.adaptive == plan.adaptive
    assert again.output == plan.output
    assert plan_to_yaml(again) == plan_to_yaml(plan)


def test_a_canvas_imported_from_yaml_revises_the_failing_step_and_saves_the_file(alice, media):
    make_agent("broken-sales", "Sales revenue figures per quarter.", fn="failing")
    make_agent("sales", "Sales analytics: revenue and sales figures per region and quarter.")
    canvas = services.create_canvas(
        owner=alice, name="quarterly", graph=plan_to_graph(plan_from_yaml(PLAN))
    )

    run = wait_for(engine.start_run(canvas, user=alice, query="Q3"))

    assert run.adaptive["max_revisions"] == 2
    revised = events(run, "plan.revised")
    assert [e.data["change"] for e in revised] == ["re-route figures from broken-sales to sales"]
    assert run.status == "succeeded", run.error
    assert run.result["artifact"] == f"reports/{run.pk}.md"
    assert "Revenue grew 12% in Q3" in (media / "reports" / f"{run.pk}.md").read_text()


def test_an_output_without_a_destination_is_refused_not_ignored():
    from canvas.errors import InvalidDocument

    with pytest.raises(InvalidDocument) as caught:
        plan_from_yaml("name: p\nsteps: [{id: a, type: agent, agent: a}]\noutput: {format: json}\n")
    (problem,) = caught.value.problems
    assert problem.field == "output"
    assert "needs a destination" in problem.message
