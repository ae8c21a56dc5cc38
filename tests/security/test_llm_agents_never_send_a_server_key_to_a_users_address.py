"""llm agents and coordinators reach models only through staff-managed Connections their
team was granted: a user can no longer pair their own api_base with the server's key
(api_key_env / api_base are refused, and refused again at run time for configs saved
before), and a model no connection serves is refused before any request."""

import pytest
from django.contrib.auth.models import Group

from canvas.models import Agent
from tests.engine.coordinator_plans import coordinator_plan, register_team
from tests.engine_helpers import make_connection, start, step, wait_for
from tests.openai_server import OpenAIServer

pytestmark = pytest.mark.django_db(transaction=True)

ONE_STEP = {"name": "p", "steps": [{"id": "ask", "type": "agent", "agent": "writer"}]}


@pytest.fixture
def model_server(engine_settings):
    if engine_settings.DISTRIBUTED:
        pytest.skip("the connection's secret variable is set in this process only")
    with OpenAIServer() as server:
        yield server


def writer(owner, **config):
    return Agent.objects.create(
        slug="writer",
        name="Writer",
        description="Writes.",
        kind="llm",
        kind_config={"model": "openai/test-model", **config},
        owner=owner,
    )


@pytest.mark.parametrize("field", ["api_key_env", "api_base"])
def test_the_api_refuses_a_user_chosen_key_variable_or_address(api_alice, field):
    value = "OPENAI_API_KEY" if field == "api_key_env" else "http://127.0.0.1:9/v1"
    response = api_alice.post(
        "/api/agents/",
        {
            "slug": "x",
            "name": "x",
            "description": "x",
            "kind": "llm",
            "kind_config": {"model": "openai/gpt-4o-mini", field: value},
        },
        format="json",
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == f"kind_config.{field}"
    assert "staff-managed Connection" in error["message"]


def test_a_config_saved_before_connections_is_refused_at_run_time(alice, model_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-server-owned")
    writer(alice, api_base=model_server.v1, api_key_env="OPENAI_API_KEY")
    run = wait_for(start(alice, ONE_STEP, query="hi"))
    assert run.status == "failed"
    assert "api_key_env is no longer accepted" in step(run, "ask").error
    assert model_server.requests == []


def test_a_granted_connection_carries_its_own_key_to_its_own_address(alice, team, model_server):
    make_connection(model_server.v1, key="sk-connection", all_teams=False).teams.add(team)
    model_server.reply("written")
    writer(alice)
    run = wait_for(start(alice, ONE_STEP, query="hi"))
    assert run.status == "succeeded", run.error
    assert model_server.requests[0].headers["Authorization"] == "Bearer sk-connection"


def test_a_connection_granted_to_another_team_is_not_used(alice, model_server):
    connection = make_connection(model_server.v1, all_teams=False)
    connection.teams.add(Group.objects.create(name="finance"))
    writer(alice)
    run = wait_for(start(alice, ONE_STEP, query="hi"))
    assert run.status == "failed"
    assert (
        "no connection available to you serves model 'openai/test-model'" in step(run, "ask").error
    )
    assert model_server.requests == []


def test_a_model_without_a_connection_is_refused_instead_of_calling_localhost(
    alice, engine_settings
):
    """ollama/… with no base used to call localhost:11434."""
    Agent.objects.create(
        slug="writer",
        name="Writer",
        description="Writes.",
        kind="llm",
        kind_config={"model": "ollama/llama3"},
        owner=alice,
    )
    run = wait_for(start(alice, ONE_STEP, query="hi"))
    assert run.status == "failed"
    assert "no connection available to you serves model 'ollama/llama3'" in step(run, "ask").error


def test_a_coordinators_model_also_needs_a_granted_connection(alice, model_server):
    register_team()
    run = wait_for(start(alice, coordinator_plan(model="openai/test-model"), query="revenue?"))
    assert run.status == "failed"
    assert "no connection available to you serves model" in step(run, "coord").error
    assert model_server.requests == []
