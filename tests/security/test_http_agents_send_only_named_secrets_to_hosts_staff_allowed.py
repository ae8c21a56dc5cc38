"""An http agent's headers name staff-managed Secrets, never environment variables; a
secret goes only to the hosts staff listed for it, only for owners whose team was granted
it, and no error says whether an environment variable exists."""

import pytest
from django.contrib.auth.models import Group

from canvas.models import Agent, Secret
from coordinator import egress
from tests.engine_helpers import start, step, wait_for
from tests.security.listener import Listener, StubResolver

pytestmark = pytest.mark.django_db(transaction=True)

ONE_STEP = {"name": "p", "steps": [{"id": "call", "type": "agent", "agent": "remote"}]}


@pytest.fixture
def agent_host(engine_settings):
    """agent.example resolves to the loopback listener (allowlisted for tests)."""
    if engine_settings.DISTRIBUTED:
        pytest.skip("the stub resolver lives in this process")
    with (
        Listener() as listener,
        egress.use_resolver(StubResolver({"agent.example": ["127.0.0.1"]})),
    ):
        yield listener


def remote_agent(owner, url, headers):
    return Agent.objects.create(
        slug="remote",
        name="Remote",
        description="Remote agent.",
        kind="http",
        kind_config={"url": url, "headers": headers},
        owner=owner,
    )


def test_a_header_naming_an_environment_variable_is_refused_when_saving(api_alice):
    response = api_alice.post(
        "/api/agents/",
        {
            "slug": "x",
            "name": "x",
            "description": "x",
            "kind": "http",
            "kind_config": {
                "url": "http://127.0.0.1:9/",
                "headers": {"X-Secret-Key": "BATON_SECRET_KEY", "X-Db": "DATABASE_URL"},
            },
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {"kind_config.headers"}
    assert "environment variable names and values are not accepted" in errors[0]["message"]
    assert not Agent.objects.exists()


def test_a_granted_secret_reaches_a_host_it_is_allowed_for(alice, team, agent_host, monkeypatch):
    monkeypatch.setenv("PARTNER_TOKEN_FOR_TESTS", "tok-partner-1")
    secret = Secret.objects.create(
        name="partner-token", env_var="PARTNER_TOKEN_FOR_TESTS", allowed_hosts=["agent.example"]
    )
    secret.teams.add(team)
    remote_agent(alice, agent_host.url("agent.example"), {"Authorization": "partner-token"})
    run = wait_for(start(alice, ONE_STEP, query="hello"))
    assert run.status == "succeeded", run.error
    assert agent_host.requests[0]["headers"]["Authorization"] == "tok-partner-1"


def test_a_secret_is_never_sent_to_a_host_it_is_not_allowed_for(
    alice, team, agent_host, monkeypatch
):
    monkeypatch.setenv("PARTNER_TOKEN_FOR_TESTS", "tok-partner-1")
    secret = Secret.objects.create(
        name="partner-token", env_var="PARTNER_TOKEN_FOR_TESTS", allowed_hosts=["partner.example"]
    )
    secret.teams.add(team)
    remote_agent(alice, agent_host.url("agent.example"), {"Authorization": "partner-token"})
    run = wait_for(start(alice, ONE_STEP, query="hello"))
    assert run.status == "failed"
    assert "may not be sent to agent.example" in step(run, "call").error
    assert agent_host.requests == []


def test_a_secret_granted_to_another_team_is_not_available(alice, agent_host, monkeypatch):
    monkeypatch.setenv("PARTNER_TOKEN_FOR_TESTS", "tok-partner-1")
    secret = Secret.objects.create(
        name="partner-token", env_var="PARTNER_TOKEN_FOR_TESTS", allowed_hosts=["agent.example"]
    )
    secret.teams.add(Group.objects.create(name="finance"))
    remote_agent(alice, agent_host.url("agent.example"), {"Authorization": "partner-token"})
    run = wait_for(start(alice, ONE_STEP, query="hello"))
    assert run.status == "failed"
    assert "no secret named 'partner-token' is available" in step(run, "call").error
    assert agent_host.requests == []


def test_errors_never_reveal_whether_an_environment_variable_exists(alice, agent_host, monkeypatch):
    """A config saved before Secrets existed (headers naming variables) is refused with the
    same words whether or not the variable is set; a secret without a value names only
    the secret."""
    monkeypatch.setenv("SOME_SET_VARIABLE", "value")
    monkeypatch.delenv("SOME_UNSET_VARIABLE", raising=False)
    errors = []
    for variable in ("SOME_SET_VARIABLE", "SOME_UNSET_VARIABLE"):
        Agent.objects.filter(slug="remote").delete()
        remote_agent(alice, agent_host.url("agent.example"), {"X-Key": variable})
        run = wait_for(start(alice, ONE_STEP, query="hello"))
        errors.append(step(run, "call").error.replace(variable, "NAME"))
    assert errors[0] == errors[1]
    assert "not set" not in errors[0]

    Agent.objects.filter(slug="remote").delete()
    Secret.objects.create(
        name="empty-one",
        env_var="SOME_UNSET_VARIABLE",
        allowed_hosts=["agent.example"],
        all_teams=True,
    )
    remote_agent(alice, agent_host.url("agent.example"), {"X-Key": "empty-one"})
    run = wait_for(start(alice, ONE_STEP, query="hello"))
    error = step(run, "call").error
    assert "secret 'empty-one' has no value on this server" in error
    assert "SOME_UNSET_VARIABLE" not in error
    assert agent_host.requests == []


def test_a_stored_secret_is_encrypted_at_rest_and_decrypted_to_send(alice, agent_host, settings):
    from coordinator.credentials import encrypt

    settings.BATON_SECRETS_KEY = "a-long-random-test-key"
    Secret.objects.create(
        name="stored-one",
        source="stored",
        encrypted_value=encrypt("tok-stored-9"),
        allowed_hosts=["agent.example"],
        all_teams=True,
    )
    assert "tok-stored-9" not in Secret.objects.get().encrypted_value
    remote_agent(alice, agent_host.url("agent.example"), {"X-Key": "stored-one"})
    run = wait_for(start(alice, ONE_STEP, query="hello"))
    assert run.status == "succeeded", run.error
    assert agent_host.requests[0]["headers"]["X-Key"] == "tok-stored-9"
