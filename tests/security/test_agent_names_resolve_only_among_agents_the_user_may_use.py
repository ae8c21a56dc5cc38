"""The agent registry is tenanted: a slug names the run user's own agent, else their
team's, else one staff shared with everyone — never another user's. Plan agent names,
coordinator candidates, fallbacks and imports all resolve this way, so registering a
slug first captures nobody else's queries."""

import pytest

from canvas.models import Agent
from tests.engine_helpers import make_agent, start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

RESEARCHER = "Research assistant: finds revenue and sales figures per quarter."
ONE_STEP = {"name": "p", "steps": [{"id": "ask", "type": "agent", "agent": "researcher"}]}


def called(agent_calls) -> list[str]:
    return [c["agent"] for c in agent_calls()]


def test_another_users_agent_registered_first_is_never_called(
    alice, charlie, engine_settings, agent_calls
):
    make_agent("researcher", RESEARCHER, fn="echo", owner=charlie)
    run = wait_for(start(alice, ONE_STEP, query="secret question"))
    assert run.status == "failed"
    assert "agent 'researcher' does not exist, is not yours to use" in step(run, "ask").error
    assert called(agent_calls) == []


def test_each_user_reaches_their_own_agent_of_the_same_slug(
    alice, charlie, engine_settings, agent_calls
):
    make_agent("researcher", RESEARCHER, fn="sales")  # staff-shared
    make_agent("researcher", RESEARCHER, fn="echo", owner=charlie)
    assert wait_for(start(alice, ONE_STEP, query="q")).status == "succeeded"
    assert wait_for(start(charlie, ONE_STEP, query="q")).status == "succeeded"
    assert called(agent_calls) == ["sales", "echo"]


def test_a_team_members_agent_is_usable_and_wins_over_a_shared_one(
    alice, bob, team, engine_settings, agent_calls
):
    make_agent("researcher", RESEARCHER, fn="sales")
    make_agent("researcher", RESEARCHER, fn="echo", owner=bob, team=team)
    assert wait_for(start(alice, ONE_STEP, query="q")).status == "succeeded"
    assert called(agent_calls) == ["echo"]


def test_a_coordinator_never_routes_to_another_users_agent(
    alice, charlie, engine_settings, agent_calls
):
    make_agent("weather", "Weather forecasts: temperature, rain and wind for a city.")
    make_agent("researcher", RESEARCHER, fn="echo", owner=charlie)
    plan = {
        "name": "c",
        "steps": [{"id": "coord", "type": "coordinator", "agents": ["researcher", "weather"]}],
    }
    run = wait_for(start(alice, plan, query="What was our revenue last quarter?"))
    assert "echo" not in called(agent_calls)
    assert run.complexity is None or all(
        c["slug"] != "researcher" for c in run.complexity.get("candidates", [])
    )


def test_a_fallback_pointing_at_another_users_agent_is_not_taken(
    alice, charlie, engine_settings, agent_calls
):
    theirs = make_agent("their-backup", RESEARCHER, fn="echo", owner=charlie)
    make_agent("researcher", RESEARCHER, fn="failing", fallback=theirs)
    plan = {
        "name": "c",
        "steps": [
            {
                "id": "coord",
                "type": "coordinator",
                "agents": ["researcher"],
                "config": {"failure_handling": "retry_with_fallback"},
            }
        ],
    }
    wait_for(start(alice, plan, query="What was our revenue last quarter?"))
    assert "echo" not in called(agent_calls)


def test_the_api_refuses_another_users_agent_as_a_fallback(api_alice, charlie):
    make_agent("their-backup", RESEARCHER, owner=charlie)
    response = api_alice.post(
        "/api/agents/",
        {"slug": "mine", "name": "Mine", "description": "d", "fallback": "their-backup"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "fallback"


WORKFLOW = """\
workflow:
  name: research
  goal: Answer research questions
  agents:
    - {name: researcher, type: web-search, goal: Find sources}
"""


def test_importing_a_workflow_naming_an_agent_you_cannot_use_is_an_error_naming_it(
    api_alice, charlie
):
    make_agent("researcher", RESEARCHER, owner=charlie)
    response = api_alice.post("/api/canvases/import/", {"yaml": WORKFLOW}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "data.config.agent"
    assert "unknown agent 'researcher'" in error["message"]


def test_importing_it_works_once_the_user_has_such_an_agent(api_alice, alice, charlie):
    make_agent("researcher", RESEARCHER, owner=charlie)
    make_agent("researcher", RESEARCHER, owner=alice)
    response = api_alice.post("/api/canvases/import/", {"yaml": WORKFLOW}, format="json")
    assert response.status_code == 201, response.json()
    assert Agent.objects.filter(slug="researcher").count() == 2
