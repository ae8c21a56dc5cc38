"""Saving an agent in the admin re-runs, in the background, the test sets that include it;
its change page then warns when accuracy dropped and lists the cases that changed."""

import pytest

from coordinator.models import RoutingTestRun
from coordinator.transport import dispatch, tasks
from coordinator.workbench.test_sets import import_set, run_set
from tests.workbench.sets import DOCUMENT


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(
        dispatch, "_send", lambda name, args, countdown, held=None: sent.append((name, args))
    )
    return sent


def form_data(agent, **changes):
    data = {
        "slug": agent.slug,
        "name": agent.name,
        "description": agent.description,
        "examples": "\n".join(agent.examples),
        "counter_examples": "",
        "capabilities": "[]",
        "enabled": "on",
        "kind": agent.kind,
        "kind_config": "{}",
        "priority": "0",
        "max_concurrency": "4",
        "_continue": "1",
    }
    data.update(changes)
    return data


def test_a_worse_description_is_flagged_with_the_case_that_changed(
    registry, admin_client, queued, django_capture_on_commit_callbacks
):
    support = import_set(DOCUMENT, "support")
    run_set(support)  # the baseline: every case passes
    handbook = registry["handbook"]
    url = f"/admin/canvas/agent/{handbook.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            form_data(handbook, name="Forecasts", description="Weather forecasts: rain and wind."),
        )
    assert response.status_code == 302
    assert queued == [("rerun_routing_sets", ("handbook",))]

    tasks.rerun_routing_sets.run("handbook")  # what the worker runs

    run = RoutingTestRun.objects.filter(trigger="agent-save").get()
    assert run.agent == "handbook" and run.status == "done"
    page = admin_client.get(url).content.decode()
    assert "Accuracy dropped after the last save of handbook" in page
    assert "top1_accuracy 1.0 → 0.6667" in page
    assert "now fails: What does the handbook say about remote work? (was handbook, now" in page


def test_saving_an_agent_no_set_includes_queues_nothing(registry, admin_client, queued):
    agent = registry["refunds"]
    response = admin_client.post(
        f"/admin/canvas/agent/{agent.pk}/change/", form_data(agent, name="Refunds desk")
    )
    assert response.status_code == 302
    assert queued == []
    page = admin_client.get(f"/admin/canvas/agent/{agent.pk}/change/").content.decode()
    assert "No test set includes this agent." in page


def test_examples_are_edited_one_per_line(registry, admin_client, queued):
    agent = registry["refunds"]
    admin_client.post(
        f"/admin/canvas/agent/{agent.pk}/change/",
        form_data(agent, examples="Refund my double charge\n\n  I was billed twice  \n"),
    )
    agent.refresh_from_db()
    assert agent.examples == ["Refund my double charge", "I was billed twice"]
    too_long = admin_client.post(
        f"/admin/canvas/agent/{agent.pk}/change/", form_data(agent, examples="x" * 301)
    )
    assert "Line 1 is longer than 300 characters." in too_long.content.decode()
