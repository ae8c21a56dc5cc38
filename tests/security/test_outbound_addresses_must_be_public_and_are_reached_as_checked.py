"""One outbound destination check: every address a host resolves to must be public
(`is_global`, not multicast, not tunnelled) unless staff allowlisted it; the request goes
to the address that was checked (one resolution, so DNS rebinding has no window) and
redirects are not followed. DNS is stubbed; every connection stays on loopback."""

import pytest

from canvas.models import Agent
from coordinator import egress
from coordinator.llm import LiteLLMModel, ModelError
from tests.engine_helpers import start, step, wait_for
from tests.openai_server import OpenAIServer
from tests.security.listener import Listener, StubResolver

NOT_PUBLIC = [
    "100.64.0.1",  # shared address space (carrier NAT, some cloud metadata)
    "224.0.0.251",  # multicast
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "64:ff9b::a9fe:a9fe",  # NAT64 wrapping 169.254.169.254
    "169.254.169.254",  # link-local metadata
    "10.1.2.3",
    "127.0.0.1",
    "fe80::1",
    "0.0.0.0",
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_a_host_resolving_to_a_non_public_address_is_refused(settings, address):
    settings.BATON_EGRESS_ALLOWLIST = []
    with (
        egress.use_resolver(StubResolver({"agent.example": [address]})),
        pytest.raises(egress.EgressRefused, match="not a public address"),
    ):
        egress.check("https://agent.example/run")


def test_one_non_public_address_among_public_ones_is_enough_to_refuse(settings):
    settings.BATON_EGRESS_ALLOWLIST = []
    resolver = StubResolver({"agent.example": ["93.184.216.34", "10.0.0.7"]})
    with egress.use_resolver(resolver), pytest.raises(egress.EgressRefused):
        egress.check("https://agent.example/")


def test_a_public_address_passes_and_is_what_the_connection_will_use(settings):
    settings.BATON_EGRESS_ALLOWLIST = []
    with egress.use_resolver(StubResolver({"agent.example": ["93.184.216.34"]})):
        destination = egress.check("https://agent.example/")
    assert destination.addresses == ("93.184.216.34",)
    assert destination.port == 443


def test_the_allowlist_admits_named_hosts_and_networks(settings):
    settings.BATON_EGRESS_ALLOWLIST = ["internal.example", "10.0.0.0/8"]
    resolver = StubResolver({"internal.example": ["192.168.1.5"], "other.example": ["10.9.9.9"]})
    with egress.use_resolver(resolver):
        assert egress.check("http://internal.example/").addresses == ("192.168.1.5",)
        assert egress.check("http://other.example/").addresses == ("10.9.9.9",)


def http_agent(url: str) -> Agent:
    return Agent.objects.create(
        slug="remote",
        name="Remote",
        description="A remote agent.",
        kind="http",
        kind_config={"url": url},
        shared_with_all_teams=True,
    )


ONE_STEP = {"name": "p", "steps": [{"id": "call", "type": "agent", "agent": "remote"}]}

pytestmark_db = pytest.mark.django_db(transaction=True)


@pytestmark_db
def test_an_http_agent_connects_to_the_checked_address_without_resolving_again(
    alice, engine_settings, settings
):
    if engine_settings.DISTRIBUTED:
        pytest.skip("the stub resolver lives in this process")
    settings.BATON_EGRESS_ALLOWLIST = ["127.0.0.1/32"]
    # A rebinding DNS server: first 127.0.0.1 (allowed), then 127.0.0.2 (not allowed and
    # not listening). Only one lookup may happen, and the request must reach 127.0.0.1.
    resolver = StubResolver({"rebind.example": [["127.0.0.1"], ["127.0.0.2"]]})
    with Listener() as listener, egress.use_resolver(resolver):
        http_agent(listener.url("rebind.example"))
        run = wait_for(start(alice, ONE_STEP, query="hello"))
    assert run.status == "succeeded", run.error
    assert resolver.lookups == ["rebind.example"]
    assert len(listener.requests) == 1
    assert listener.requests[0]["headers"]["Host"] == f"rebind.example:{listener.port}"
    assert step(run, "call").output == {"answer": "from the listener"}


@pytestmark_db
def test_an_http_agent_does_not_follow_redirects(alice, engine_settings):
    with Listener() as target, Listener(redirect=target.url(path="/stolen")) as first:
        http_agent(first.url())
        run = wait_for(start(alice, ONE_STEP, query="hello"))
    assert run.status == "failed"
    assert "HTTP 302" in step(run, "call").error
    assert len(first.requests) == 1
    assert target.requests == []


@pytestmark_db
def test_an_http_agent_aimed_at_shared_address_space_sends_nothing(
    alice, engine_settings, settings
):
    if engine_settings.DISTRIBUTED:
        pytest.skip("the stub resolver lives in this process")
    settings.BATON_EGRESS_ALLOWLIST = []
    with (
        Listener() as listener,
        egress.use_resolver(StubResolver({"metadata.example": ["100.100.100.200"]})),
    ):
        http_agent(listener.url("metadata.example"))
        run = wait_for(start(alice, ONE_STEP, query="hello"))
    assert run.status == "failed"
    assert "not a public address" in step(run, "call").error
    assert listener.requests == []


def test_a_model_api_base_is_pinned_to_the_checked_address(settings):
    settings.BATON_EGRESS_ALLOWLIST = ["127.0.0.1/32"]
    resolver = StubResolver({"models.example": [["127.0.0.1"], ["127.0.0.2"]]})
    with OpenAIServer() as server, egress.use_resolver(resolver):
        server.reply("pinned")
        base = server.v1.replace("127.0.0.1", "models.example")
        model = LiteLLMModel("openai/test-model", api_base=base, api_key="k")
        text, _ = model.complete([{"role": "user", "content": "hi"}], timeout=10)
    assert text == "pinned"
    assert resolver.lookups == ["models.example"]


def test_a_model_api_base_on_a_private_address_is_refused_before_any_request(settings):
    settings.BATON_EGRESS_ALLOWLIST = []
    with OpenAIServer() as server:
        model = LiteLLMModel("openai/test-model", api_base=server.v1, api_key="k")
        with pytest.raises(ModelError, match="not a public address"):
            model.complete([{"role": "user", "content": "hi"}], timeout=10)
    assert server.requests == []
