"""Each example of the reference documents imports as a canvas and comes back out whole:
import → export → import → compare, and every field written in the example is in the export.

The orchestration reference's workflow.yaml names an orchestration agent and a strategy Baton
cannot honour as written: it is refused, field by field, with what to write instead — and what
the refusal says to write imports with nothing dropped."""

from pathlib import Path

import pytest

from canvas.plan import Plan
from canvas.yaml_io import load_yaml, plan_from_yaml
from tests.api import counts

REFERENCE = Path(__file__).parent.parent / "canvas" / "fixtures" / "reference"
PLAN_EXAMPLES = [
    "hub_document_processing.yaml",
    "hub_parallel.yaml",
    "coordinator_configuration.yaml",
]


def leaves(value, path=()):
    """(path, value) of every scalar in a parsed document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value and all(isinstance(i, dict | list) for i in value):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def at(document, path):
    for part in path:
        document = document[part]
    return document


# The agents the examples name; importing a plan that names an agent the user cannot use
# is refused (tenancy), so they are registered and shared first, as an admin would.
EXAMPLE_AGENTS = [
    "agent-a",
    "agent-b",
    "agent-c",
    "document-ocr",
    "main-coordinator",
    "publisher",
    "summarizer",
    "web-search",
    "sql-metrics",
    "formatter",
    "researcher",
    "reviewer",
    "writer",
]


@pytest.fixture(autouse=True)
def example_agents(db):
    from canvas.models import Agent

    for slug in EXAMPLE_AGENTS:
        Agent.objects.create(
            slug=slug, name=slug, description=f"The {slug}.", shared_with_all_teams=True
        )


def import_canvas(client, text: str) -> str:
    response = client.post("/api/canvases/import/", {"yaml": text}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def exported(client, canvas_id: str, fmt: str):
    response = client.get(f"/api/canvases/{canvas_id}/export/?format={fmt}")
    assert response.status_code == 200, response.content
    return response.json() if fmt == "json" else response.content.decode()


@pytest.mark.parametrize("example", PLAN_EXAMPLES)
def test_every_field_of_a_plan_example_survives_the_canvas(api_alice, example):
    text = (REFERENCE / example).read_text()
    written = load_yaml(text)
    canvas_id = import_canvas(api_alice, text)

    plan_json = exported(api_alice, canvas_id, "json")
    for path, value in leaves(written):
        assert at(plan_json, path) == value, f"{'.'.join(map(str, path))} was dropped or changed"

    again = import_canvas(api_alice, exported(api_alice, canvas_id, "yaml"))
    assert exported(api_alice, again, "json") == plan_json
    # the canvas names the step that feeds its answer node: a plan without `result` gets one
    original = plan_from_yaml(text)
    assert Plan.model_validate(plan_json) == original.model_copy(
        update={"result": original.result or plan_json["result"]}
    )


def test_the_verbatim_orchestration_workflow_is_refused_with_what_to_write(api_alice):
    before = counts()
    text = (REFERENCE / "orchestration_workflow.yaml").read_text()
    response = api_alice.post("/api/canvases/import/", {"yaml": text}, format="json")

    assert response.status_code == 400
    assert counts() == before
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(messages) == {"workflow.orchestration_agent", "workflow.strategy"}
    assert "Remove orchestration_agent" in messages["workflow.orchestration_agent"]
    assert (
        "steps: [{id: main-coordinator, type: coordinator, agents: [researcher, writer, "
        "reviewer, formatter]" in messages["workflow.orchestration_agent"]
    )
    assert "'sequential_with_parallel_review'" in messages["workflow.strategy"]
    assert "write `sequential`" in messages["workflow.strategy"]


def test_the_orchestration_workflow_as_baton_takes_it_keeps_every_field(api_alice):
    text = (REFERENCE / "orchestration_workflow_for_baton.yaml").read_text()
    workflow = load_yaml(text)["workflow"]
    canvas_id = import_canvas(api_alice, text)
    plan = exported(api_alice, canvas_id, "json")

    steps = {s["id"]: s for s in plan["steps"]}
    assert list(steps) == [agent["name"] for agent in workflow["agents"]]
    for agent in workflow["agents"]:
        step = steps[agent["name"]]
        assert step["query"] == agent["goal"]
        assert step["name"] == f"{agent['name']} ({agent['type']})"
        assert step["retries"] == workflow["max_retries"]
    assert [steps[n]["depends_on"] for n in steps] == [[], ["researcher"], ["writer"], ["reviewer"]]
    assert plan["description"] == f"Goal: {workflow['goal']}"
    assert plan["output"] == {"format": "markdown", "destination": "chapters/security.md"}
    assert plan["result"] == "formatter"  # human_approval: false, so no gate before the result

    again = import_canvas(api_alice, exported(api_alice, canvas_id, "yaml"))
    assert exported(api_alice, again, "json") == plan
