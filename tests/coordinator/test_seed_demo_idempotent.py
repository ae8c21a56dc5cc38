"""seed_demo creates the demo once; running it again creates and changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from canvas.models import Agent, Canvas, CanvasVersion
from demo.management.commands.seed_demo import DEMO_AGENTS, PYTHON_AGENTS

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed


@pytest.fixture(autouse=True)
def demo_settings(settings, monkeypatch, tmp_path):
    settings.BATON_PYTHON_AGENTS = PYTHON_AGENTS
    settings.PASSWORD_HASHERS = FAST_HASHER
    monkeypatch.setenv("BATON_ADMIN_PASSWORD", "admin-pass-for-tests-1")
    monkeypatch.setenv("BATON_DEMO_PASSWORD", "demo-pass-for-tests-1")


def seed() -> str:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def snapshot():
    return {
        "users": sorted(User.objects.values_list("username", "is_superuser", "is_staff")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "members": sorted(
            User.objects.filter(groups__name="demo-team").values_list("username", flat=True)
        ),
        "agents": list(Agent.objects.order_by("slug").values()),
        "canvases": list(Canvas.objects.order_by("slug").values()),
        "versions": list(CanvasVersion.objects.order_by("canvas__slug", "number").values()),
    }


def test_seeding_twice_changes_nothing(db):
    first_output = seed()
    before = snapshot()
    second_output = seed()
    assert snapshot() == before
    assert "0 created, 0 updated" not in first_output
    assert "Demo ready: 0 created, 0 updated" in second_output


def test_it_creates_the_users_team_agents_and_canvases(db):
    seed()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.get(username="designer").is_superuser
    assert set(Group.objects.get(name="demo-team").user_set.values_list("username", flat=True)) == {
        "designer",
        "reviewer",
    }
    agents = {a.slug: a for a in Agent.objects.all()}
    assert set(agents) == {spec["slug"] for spec in DEMO_AGENTS}
    for spec in DEMO_AGENTS:
        agent = agents[spec["slug"]]
        assert agent.kind == "python"
        assert agent.kind_config == {"callable": f"demo.agents.{spec['callable']}"}
        assert agent.enabled and agent.capabilities and len(agent.description) > 150
        agent.full_clean()  # valid against the allowlist
    for slug, name in [
        ("docs-assistant", "Docs assistant"),
        ("document-processing", "Document processing"),
    ]:
        canvas = Canvas.objects.get(slug=slug)
        assert canvas.name == name
        assert canvas.owner.username == "designer"
        assert canvas.team.name == "demo-team"
        assert canvas.latest_version == 1
        assert list(canvas.versions.values_list("number", flat=True)) == [1]


def test_it_keeps_later_versions_and_adds_none(db):
    seed()
    canvas = Canvas.objects.get(slug="docs-assistant")
    from canvas.services import save_version

    save_version(canvas, {"nodes": [], "edges": []}, None, "edited by a user")
    seed()
    canvas.refresh_from_db()
    assert canvas.latest_version == 2
    assert canvas.versions.count() == 2


def test_it_restores_edited_demo_agent_definitions(db):
    seed()
    Agent.objects.filter(slug="search-docs").update(description="changed", enabled=False)
    output = seed()
    agent = Agent.objects.get(slug="search-docs")
    assert agent.enabled and agent.description.startswith("Searches Baton's user documentation")
    assert "1 updated" in output


def test_it_prints_the_url_and_the_logins(db):
    output = seed()
    assert "http://127.0.0.1:8000/" in output
    for username in ("admin", "designer", "reviewer"):
        assert username in output
    assert "Docs assistant (docs-assistant)" in output


def test_it_warns_when_the_allowlist_lacks_a_demo_callable(db, settings):
    settings.BATON_PYTHON_AGENTS = PYTHON_AGENTS[1:]
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    warning = err.getvalue()
    assert "not in BATON_PYTHON_AGENTS" in warning
    assert "demo.agents.search_docs" in warning
    assert "demo.agents.workspace_statistics" not in warning
    assert Agent.objects.filter(slug="search-docs").exists()
