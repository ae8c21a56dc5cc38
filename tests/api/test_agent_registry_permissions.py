"""The agent registry is tenanted like canvases: a user sees their own agents, their teams'
and those staff shared with everyone; only an agent's owner or staff change it."""

from canvas.models import Agent
from tests.conftest import client_for


def make(slug, owner=None, **fields):
    return Agent.objects.create(
        slug=slug, name=slug.title(), description=f"{slug} agent", owner=owner, **fields
    )


def test_a_user_lists_their_own_their_teams_and_shared_agents_only(api_bob, alice, bob, team):
    make("alices-private", owner=alice)
    make("alices-for-the-team", owner=alice, team=team)
    make("bobs-draft", owner=bob, enabled=False)
    make("builtin", shared_with_all_teams=True)
    response = api_bob.get("/api/agents/")
    assert response.status_code == 200
    assert [a["slug"] for a in response.json()["results"]] == [
        "alices-for-the-team",
        "bobs-draft",
        "builtin",
    ]


def test_staff_see_every_agent(alice, db):
    from django.contrib.auth.models import User

    admin = User.objects.create_user("root", is_staff=True)
    make("alices-draft", owner=alice, enabled=False)
    response = client_for(admin).get("/api/agents/")
    assert [a["slug"] for a in response.json()["results"]] == ["alices-draft"]


def test_someone_elses_disabled_agent_is_not_found(api_bob, alice):
    make("alices-draft", owner=alice, enabled=False)
    assert api_bob.get("/api/agents/alices-draft/").status_code == 404
    assert (
        api_bob.patch("/api/agents/alices-draft/", {"name": "x"}, format="json").status_code == 404
    )
    assert api_bob.delete("/api/agents/alices-draft/").status_code == 404


def test_creating_an_agent_makes_you_its_owner(api_bob):
    response = api_bob.post(
        "/api/agents/",
        {"slug": "sql-expert", "name": "SQL expert", "description": "Writes SQL.", "kind": "llm"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == "bob"
    assert Agent.objects.get(slug="sql-expert").owner.username == "bob"


def test_only_the_owner_changes_or_deletes_an_agent(api_alice, api_bob, alice, team):
    make("alices-agent", owner=alice, team=team)
    assert (
        api_bob.patch("/api/agents/alices-agent/", {"name": "Mine now"}, format="json").status_code
        == 403
    )
    assert api_bob.delete("/api/agents/alices-agent/").status_code == 403
    assert Agent.objects.get(slug="alices-agent").name == "Alices-Agent"

    response = api_alice.patch("/api/agents/alices-agent/", {"priority": 5}, format="json")
    assert response.status_code == 200
    assert response.json()["priority"] == 5
    assert api_alice.delete("/api/agents/alices-agent/").status_code == 204
    assert not Agent.objects.filter(slug="alices-agent").exists()


def test_staff_change_any_agent(alice, db):
    from django.contrib.auth.models import User

    admin = User.objects.create_user("root", is_staff=True)
    make("builtin")  # no owner: only staff may change it
    response = client_for(admin).patch("/api/agents/builtin/", {"enabled": False}, format="json")
    assert response.status_code == 200
    assert Agent.objects.get(slug="builtin").enabled is False
