"""Running a test set (function, admin action, API, manage.py bench_routing --set) stores
the four accuracies, a per-agent confusion table and every miss with the router's reasons."""

import json

import pytest
from django.core.management import CommandError, call_command

from coordinator.models import RoutingTestRun
from coordinator.workbench.test_sets import import_set, run_set
from tests.workbench.sets import DOCUMENT


@pytest.fixture
def support(registry):
    return import_set(DOCUMENT, "support")


def test_a_run_stores_accuracies_confusion_and_misses(support, registry):
    registry["handbook"].name = "Forecasts"  # a bad edit
    registry["handbook"].description = "Weather forecasts: rain and wind."
    registry["handbook"].save()
    run = run_set(support)
    assert run.status == "done" and run.trigger == "manual"
    assert run.figures["cases"] == 4
    assert run.figures["top1_accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert run.figures["none_accuracy"] == 1.0
    assert set(run.figures) >= {"level_accuracy", "agent_set_accuracy", "p50_ms"}
    miss = run.misses[0]
    assert miss["query"] == "What does the handbook say about remote work?"
    assert miss["expected"] == {"level": "LOW", "agents": ["handbook"]}
    assert miss["reasons"]  # why the router did what it did
    handbook = run.agent_confusion["handbook"]
    assert handbook["expected"] == 1 and handbook["selected"] == 0
    assert sum(handbook["instead"].values()) == 1
    assert run.agent_confusion["weather"] == {
        "expected": 1,
        "selected": 1,
        "unexpected": 0,
        "instead": {},
    }


def test_disabled_agents_are_not_routed_to(support, registry):
    registry["weather"].enabled = False
    registry["weather"].save()
    run = run_set(support)
    assert run.agent_confusion["weather"]["selected"] == 0


def test_the_command_runs_a_stored_set_and_prints_its_figures(support, capsys):
    call_command("bench_routing", "--set", "support")
    out = json.loads(capsys.readouterr().out)
    assert out["set"] == "support" and out["cases"] == 4
    assert RoutingTestRun.objects.get(pk=out["run"]).trigger == "command"
    with pytest.raises(CommandError, match="no routing test set 'nope'"):
        call_command("bench_routing", "--set", "nope")


def test_the_admin_action_and_the_api_run_a_set(support, admin_client, root):
    from tests.conftest import client_for

    response = admin_client.post(
        "/admin/coordinator/routingtestset/",
        {"action": "run_sets", "_selected_action": [support.pk]},
    )
    assert response.status_code == 302
    assert RoutingTestRun.objects.get(trigger="admin").status == "done"
    api = client_for(root)
    created = api.post("/api/routing/test-sets/support/runs/")
    assert created.status_code == 201
    assert created.json()["figures"]["cases"] == 4
    listed = api.get("/api/routing/test-sets/support/runs/").json()
    assert [r["trigger"] for r in listed] == ["api", "admin"]
    assert api.post("/api/routing/test-sets/nope/runs/").status_code == 404


def test_a_set_is_never_measured_on_its_own_cases(support, registry):
    """Cases teach the router (as examples) for other sets, not for their own run."""
    from coordinator.workbench.test_sets import profiles_for

    billing = next(p for p in profiles_for([registry["billing"]]) if p.slug == "billing")
    assert "Why was I charged twice on my last bill?" in billing.examples
    own = profiles_for([registry["billing"]], exclude_set_id=support.pk)
    assert own[0].examples == []


def test_a_case_expecting_an_agent_outside_the_set_fails_the_run_clearly(support):
    support.cases.create(query="Refund me", level="LOW", expected_agents=["refunds"])
    run = run_set(support)
    assert run.status == "failed"
    assert run.error == "case 5 ('Refund me') expects ['refunds'], not among the set's agents"


def test_the_set_page_shows_its_cases_and_latest_run(support, admin_client):
    run_set(support)
    page = admin_client.get(f"/admin/coordinator/routingtestset/{support.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Why was I charged twice on my last bill?" in html
    assert "level 1.0 · set 1.0 · top-1 1.0 · none 1.0" in html


def test_a_case_level_must_match_its_expected_agents(support, admin_client):
    from django.core.exceptions import ValidationError

    from coordinator.models import RoutingCase

    with pytest.raises(ValidationError, match="no expected agents means the level is NONE"):
        RoutingCase(test_set=support, query="q", level="LOW", expected_agents=[]).full_clean()


def test_the_run_page_shows_the_confusion_table_and_each_miss_with_reasons(
    support, registry, admin_client
):
    registry["handbook"].name = "Forecasts"
    registry["handbook"].description = "Weather forecasts: rain and wind."
    registry["handbook"].save()
    run = run_set(support)
    html = admin_client.get(f"/admin/coordinator/routingtestrun/{run.pk}/change/").content.decode()
    assert "<td>handbook</td><td>1</td><td>0</td><td>0</td>" in html
    assert "<strong>What does the handbook say about remote work?</strong>" in html
    assert "expected LOW handbook, got" in html
    assert "<li>" in html  # the router's reasons
