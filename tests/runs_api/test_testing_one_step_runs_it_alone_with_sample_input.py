"""POST /api/canvases/<id>/test-step/ runs one agent, coordinator, transform or condition node with sample
input through the engine — same executors, tenancy and limits — as a run marked
`test_step` that the run lists leave out unless asked."""

import threading

import pytest

from canvas.models import Agent, Canvas, CanvasVersion
from coordinator.engine import recording
from coordinator.models import Run, StepRun
from tests.engine_helpers import GIVE_UP_SECONDS, embedded_only, make_agent, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def node(id_, type_, config, label=""):
    return {
        "id": id_,
        "type": type_,
        "position": {"x": 0, "y": 0},
        "data": {"label": label or id_, "config": config},
    }


GRAPH = {
    "nodes": [
        node(
            "begin",
            "begin",
            {
                "input_schema": {
                    "type": "object",
                    "properties": {"doc": {"type": "string"}},
                    "required": ["doc"],
                }
            },
        ),
        node("fetch", "sub_agent", {"agent": "echo", "query": "read {{ input.doc }}"}),
        node("shape", "transform", {"output": {"said": "{{ steps.fetch.output.text }}"}}),
        node("long", "condition", {"expression": "steps.shape.output.said | length > 10"}),
        node("pause", "wait", {"duration_seconds": 5}),
        node("out", "interact", {}),
    ],
    "edges": [
        {"id": "e1", "source": "begin", "target": "fetch"},
        {"id": "e2", "source": "fetch", "target": "shape"},
        {"id": "e3", "source": "shape", "target": "long"},
        {"id": "e4", "source": "long", "sourceHandle": "true", "target": "pause"},
        {"id": "e5", "source": "pause", "target": "out"},
    ],
}


@pytest.fixture
def canvas(alice, engine_settings):
    make_agent("echo", "Echoes the query.")
    canvas = Canvas.objects.create(name="Docs", slug="docs", owner=alice, latest_version=1)
    CanvasVersion.objects.create(canvas=canvas, number=1, author=alice, graph=GRAPH)
    return canvas


def test_step(client, canvas, node_id, sample, graph=None):
    body = {"node": node_id, "sample": sample}
    if graph is not None:
        body["graph"] = graph
    return client.post(f"/api/canvases/{canvas.pk}/test-step/", body, format="json")


test_step.__test__ = False  # a helper, not a test


def finished(response) -> tuple[Run, StepRun]:
    assert response.status_code == 202, response.json()
    run = wait_for(Run.objects.get(pk=response.json()["id"]))
    return run, StepRun.objects.get(run=run, step_id=run.plan["steps"][0]["id"])


def test_a_transform_sees_the_sample_outputs_of_the_steps_before_it(api_alice, canvas):
    response = test_step(
        api_alice,
        canvas,
        "shape",
        {"input": {"doc": "a.pdf"}, "steps": {"fetch": {"text": "echo: read a.pdf"}}},
    )
    run, row = finished(response)
    assert response.json()["trigger"] == "test_step"
    assert run.status == "succeeded"
    assert row.output == {"said": "echo: read a.pdf"}
    assert [s.step_id for s in StepRun.objects.filter(run=run)] == ["shape", "fetch"]


def test_an_agent_step_calls_its_agent_through_the_real_executor(api_alice, canvas, agent_calls):
    run, row = finished(
        test_step(api_alice, canvas, "fetch", {"query": "q", "input": {"doc": "b.pdf"}})
    )
    assert run.status == "succeeded", run.error
    assert row.output["text"] == "echo: read b.pdf"  # the node's query template, rendered
    assert [c["agent"] for c in agent_calls()] == ["echo"]


def test_a_condition_reports_its_result(api_alice, canvas):
    run, row = finished(
        test_step(
            api_alice,
            canvas,
            "long",
            {"input": {"doc": "x"}, "steps": {"shape": {"said": "a long enough text"}}},
        )
    )
    assert row.output == {"result": True}


def test_the_editors_draft_graph_is_tested_not_only_the_saved_version(api_alice, canvas):
    draft = {
        **GRAPH,
        "nodes": [
            n
            if n["id"] != "shape"
            else node("shape", "transform", {"output": "draft {{ input.doc }}"})
            for n in GRAPH["nodes"]
        ],
    }
    _run, row = finished(test_step(api_alice, canvas, "shape", {"input": {"doc": "d"}}, draft))
    assert row.output == "draft d"


def test_an_agent_the_user_may_not_use_fails_as_it_would_in_a_run(api_alice, bob, canvas):
    Agent.objects.create(slug="bobs", name="Bob's", description="Private.", owner=bob)
    draft = {**GRAPH, "nodes": [*GRAPH["nodes"], node("theirs", "sub_agent", {"agent": "bobs"})]}
    run, row = finished(test_step(api_alice, canvas, "theirs", {"input": {"doc": "d"}}, draft))
    assert run.status == "failed"
    assert "is not yours to use" in row.error


def test_test_runs_are_left_out_of_run_lists_unless_asked_for(api_alice, canvas):
    run, _row = finished(test_step(api_alice, canvas, "shape", {"input": {"doc": "d"}}))
    listed = api_alice.get(f"/api/canvases/{canvas.pk}/runs/").json()
    assert str(run.pk) not in [r["id"] for r in listed]
    everything = api_alice.get("/api/runs/").json()
    assert str(run.pk) not in [r["id"] for r in everything["results"]]
    with_tests = api_alice.get("/api/runs/?include_tests=true").json()
    assert str(run.pk) in [r["id"] for r in with_tests["results"]]
    assert api_alice.get(f"/api/runs/{run.pk}/").json()["trigger"] == "test_step"
    assert api_alice.get("/api/runs/?include_tests=maybe").status_code == 400


def test_a_stranger_cannot_test_a_step_of_a_canvas_they_cannot_see(api_charlie, canvas):
    assert test_step(api_charlie, canvas, "shape", {}).status_code == 404


@pytest.mark.parametrize(
    ("node_id", "sample", "field"),
    [
        ("shape", [], "sample"),
        ("shape", {"inputs": {}}, "sample.inputs"),
        ("shape", {"input": {"doc": "d"}, "query": 3}, "sample.query"),
        ("shape", {"input": "doc"}, "sample.input"),
        ("shape", {"input": {"doc": "d"}, "steps": {"bad id": 1}}, "sample.steps.bad id"),
        ("shape", {"input": {"doc": "d"}, "steps": {"shape": 1}}, "sample.steps.shape"),
        ("shape", {"input": {}}, "sample.input.doc"),
        ("nowhere", {}, "node"),
        ("pause", {}, "node"),
        ("begin", {}, "node"),
    ],
)
def test_bad_requests_are_refused_naming_the_field(api_alice, canvas, node_id, sample, field):
    before = Run.objects.count()
    response = test_step(api_alice, canvas, node_id, sample)
    assert response.status_code == 400, response.json()
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Run.objects.count() == before


def test_a_node_whose_config_is_invalid_is_refused_with_its_problem(api_alice, canvas):
    draft = {**GRAPH, "nodes": [*GRAPH["nodes"], node("empty", "condition", {"expression": ""})]}
    response = test_step(api_alice, canvas, "empty", {"input": {"doc": "d"}}, draft)
    assert response.status_code == 400
    assert any(e.get("node") == "empty" for e in response.json()["errors"])


@embedded_only  # waits for the engine's own trigger call, patched in this process
def test_a_test_run_ending_starts_no_event_trigger_a_real_run_would(
    api_alice, alice, canvas, monkeypatch
):
    from tests.triggers.helpers import create_trigger, echo_canvas
    from triggers.firing import run_finished

    # The engine's own call comes after the run is seen to end (on commit, on its thread): it
    # must be over before the run is made a real one below, or it would count twice.
    engine_called = threading.Event()

    def engine_run_finished(run_id, real=recording.run_finished):
        try:
            real(run_id)
        finally:
            engine_called.set()

    monkeypatch.setattr(recording, "run_finished", engine_run_finished)
    follower = echo_canvas(alice, "follower")
    create_trigger(
        api_alice, follower, kind="event", event="run.succeeded", source_canvas=str(canvas.pk)
    )
    sample = {"input": {"doc": "d"}, "steps": {"fetch": {"text": "t"}}}
    test_run, _row = finished(test_step(api_alice, canvas, "shape", sample))
    assert test_run.status == "succeeded"
    assert engine_called.wait(GIVE_UP_SECONDS)
    assert set(Run.objects.filter(canvas=follower).values_list("pk", flat=True)) == set()
    before = set(Run.objects.values_list("pk", flat=True))
    run_finished(test_run.pk)  # what the engine calls when a run ends
    assert set(Run.objects.values_list("pk", flat=True)) == before
    Run.objects.filter(pk=test_run.pk).update(trigger="api")  # the same run, as a real one
    run_finished(test_run.pk)
    assert Run.objects.filter(canvas=follower).count() == 1


def test_a_coordinator_is_tested_with_the_sub_agents_it_delegates_to(
    api_alice, alice, engine_settings
):
    from tests.runs_api.helpers import team_canvas

    team = team_canvas(alice)
    run, row = finished(test_step(api_alice, team, "coord", {"query": "What was our revenue?"}))
    assert run.status == "succeeded", run.error
    assert row.output["phases"]["selection"]["decision"]["agents"] == ["sales"]
    assert run.result["answer"].startswith("Revenue grew")


def test_a_failed_step_test_is_run_again_from_the_editor_not_retried(api_alice, canvas):
    run, row = finished(test_step(api_alice, canvas, "shape", {"input": {"doc": "d"}}))
    assert run.status == "failed"  # the sample lacks steps.fetch
    assert "steps.fetch" in row.error or "fetch" in row.error
    response = api_alice.post(f"/api/runs/{run.pk}/retry/")
    assert response.status_code == 409
    assert "step test" in response.json()["detail"]
