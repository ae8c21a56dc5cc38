"""An agent is refused, with located errors, unless its kind config, tags and fallback make sense."""

from canvas.models import Agent, Secret
from tests.api import fields


def post(client, **overrides):
    body = {"slug": "helper", "name": "Helper", "description": "Helps.", "kind": "llm", **overrides}
    return client.post("/api/agents/", body, format="json")


def test_it_locates_kind_config_errors(api_alice):
    response = post(
        api_alice, kind="http", kind_config={"url": "not a url", "headers": {"X": "Bearer sk-123"}}
    )
    assert response.status_code == 400
    assert {"kind_config.url", "kind_config.headers"} <= fields(response)
    assert not Agent.objects.exists()


def test_it_requires_the_url_of_an_http_agent(api_alice):
    response = post(api_alice, kind="http")
    assert response.status_code == 400
    assert "kind_config.url" in fields(response)


def test_it_refuses_a_python_callable_outside_the_allowlist(api_alice):
    response = post(api_alice, kind="python", kind_config={"callable": "os.system"})
    assert response.status_code == 400
    assert fields(response) == {"kind_config.callable"}


def test_it_accepts_a_valid_http_agent(api_alice):
    Secret.objects.create(
        name="agent-token",
        env_var="AGENT_TOKEN",
        allowed_hosts=["example.com"],
        all_teams=True,
    )
    response = post(
        api_alice,
        kind="http",
        kind_config={
            "url": "https://example.com/agent",
            "headers": {"Authorization": "agent-token"},
        },
        capabilities=["search", "web"],
    )
    assert response.status_code == 201, response.json()
    assert response.json()["capabilities"] == ["search", "web"]


def test_capabilities_must_be_a_list_of_strings(api_alice):
    assert "capabilities" in fields(post(api_alice, capabilities="sql"))
    assert "capabilities.0" in fields(post(api_alice, capabilities=[{"tag": "sql"}]))


def test_the_slug_must_be_lowercase_and_unique(api_alice):
    assert "slug" in fields(post(api_alice, slug="Not A Slug"))
    assert post(api_alice).status_code == 201
    assert "slug" in fields(post(api_alice))


def test_the_slug_cannot_change(api_alice):
    post(api_alice)
    response = api_alice.patch("/api/agents/helper/", {"slug": "renamed"}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"slug"}


def test_the_fallback_is_another_agent_by_slug(api_alice):
    post(api_alice, slug="backup")
    response = post(api_alice, fallback="backup")
    assert response.status_code == 201
    assert Agent.objects.get(slug="helper").fallback.slug == "backup"
    assert "fallback" in fields(post(api_alice, slug="other", fallback="missing"))


def test_an_agent_cannot_fall_back_to_itself(api_alice):
    post(api_alice)
    response = api_alice.patch("/api/agents/helper/", {"fallback": "helper"}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"fallback"}


def test_a_fallback_chain_cannot_loop(api_alice):
    post(api_alice, slug="first")
    post(api_alice, slug="second", fallback="first")
    response = api_alice.patch("/api/agents/first/", {"fallback": "second"}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"fallback"}


def test_changing_the_kind_revalidates_the_stored_config(api_alice):
    post(api_alice)
    response = api_alice.patch("/api/agents/helper/", {"kind": "http"}, format="json")
    assert response.status_code == 400
    assert "kind_config.url" in fields(response)
    assert Agent.objects.get(slug="helper").kind == "llm"
