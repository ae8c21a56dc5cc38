"""Retry from a failed step (the runs page): POST /api/runs/<id>/retry/ starts a new run,
linked to the failed one, in which the steps that succeeded keep their outputs (their agents
are not called again) and the failed step and what follows run afresh."""

import pytest

from coordinator.models import Run
from coordinator.retry import Outcome, reusable
from tests.engine_helpers import event_types, events, make_agent, make_plan_canvas, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = {
    "name": "extract-then-flaky",
    "steps": [
        {"id": "extract", "type": "agent", "agent": "echo"},
        {"id": "flake", "type": "agent", "agent": "flaky", "depends_on": ["extract"]},
        {
            "id": "report",
            "type": "transform",
            "depends_on": ["flake"],
            "output": {"flake": "{{ steps.flake.output.text }}"},
        },
    ],
    "result": "report",
}


def failed_run(alice, api_alice):
    make_agent("echo", "Echoes its input.")
    make_agent("flaky", "Fails once, then succeeds.")
    canvas = make_plan_canvas(alice, "flaky-canvas", PLAN)
    started = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/", {"query": "extract it"}, format="json"
    )
    assert started.status_code == 202, started.json()
    run = wait_for(Run.objects.get(pk=started.json()["id"]))
    assert run.status == "failed"
    assert step(run, "extract").status == "succeeded"
    assert step(run, "flake").status == "failed"
    return run


def test_a_retry_reuses_the_succeeded_step_and_reruns_the_failed_one(
    alice, api_alice, engine_settings, agent_calls
):
    old = failed_run(alice, api_alice)
    calls_before = [c["agent"] for c in agent_calls()]
    assert calls_before == ["echo", "flaky"]

    response = api_alice.post(f"/api/runs/{old.pk}/retry/")

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["retried_from"] == str(old.pk)
    assert body["trigger"] == "retry"
    new = wait_for(Run.objects.get(pk=body["id"]))
    assert new.status == "succeeded", new.error
    assert [c["agent"] for c in agent_calls()] == ["echo", "flaky", "flaky"]  # echo not again
    assert step(new, "extract").output == step(old, "extract").output
    assert step(new, "report").output == {"flake": "flaky succeeded on retry"}
    assert (new.query, new.input, new.conversation_id) == (
        old.query,
        old.input,
        old.conversation_id,
    )
    reused = events(new, "step.succeeded")[0]
    assert (reused.step, reused.data["reused_from"]) == ("extract", str(old.pk))
    assert event_types(new)[:2] == ["run.queued", "step.succeeded"]

    # The link shows on both runs.
    assert api_alice.get(f"/api/runs/{old.pk}/").json()["retries"] == [str(new.pk)]
    assert api_alice.get(f"/api/runs/{new.pk}/").json()["retried_from"] == str(old.pk)


def test_a_run_that_did_not_fail_is_not_retried(alice, api_alice, engine_settings):
    make_agent("echo", "Echoes its input.")
    canvas = make_plan_canvas(
        alice, "fine", {"name": "fine", "steps": [{"id": "e", "type": "agent", "agent": "echo"}]}
    )
    started = api_alice.post(f"/api/canvases/{canvas.pk}/runs/", {}, format="json").json()
    run = wait_for(Run.objects.get(pk=started["id"]))
    assert run.status == "succeeded"

    response = api_alice.post(f"/api/runs/{run.pk}/retry/")

    assert response.status_code == 409
    assert "succeeded" in response.json()["detail"]
    assert Run.objects.count() == 1


def test_someone_who_cannot_see_the_run_cannot_retry_it(alice, api_alice, api_bob, engine_settings):
    old = failed_run(alice, api_alice)
    assert api_bob.post(f"/api/runs/{old.pk}/retry/").status_code == 404
    assert Run.objects.count() == 1


def test_skips_that_follow_from_reused_decisions_are_kept_and_failure_skips_are_not():
    outcomes = [
        Outcome("check", "succeeded", "", ()),
        Outcome("yes", "succeeded", "", ("check",)),
        Outcome("no", "skipped", "branch not taken at check", ("check",)),
        Outcome("after-no", "skipped", "upstream skipped", ("no",)),
        Outcome("boom", "failed", "kaput", ("yes",)),
        Outcome("after-boom", "skipped", "upstream failed: boom", ("boom",)),
        Outcome("chained", "skipped", "upstream skipped", ("after-boom",)),
    ]
    assert reusable(outcomes) == {"check", "yes", "no", "after-no"}
