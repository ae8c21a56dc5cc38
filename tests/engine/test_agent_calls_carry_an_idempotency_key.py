"""Every agent call carries a key stable per (run, step, attempt): python agents that ask for
it get it as `idempotency_key` (across the boundary of the process they run in), http agents
and llm agents (through their connection, to the model server) as an Idempotency-Key header.
A retry is a new attempt, with a new key."""

import pytest

from canvas.models import Agent
from coordinator import egress
from tests.engine_helpers import embedded_only, make_agent, make_connection, start, step, wait_for
from tests.openai_server import OpenAIServer
from tests.security.listener import Listener, StubResolver

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


def one_step(agent: str, **fields) -> dict:
    return {"name": "one", "steps": [{"id": "call", "type": "agent", "agent": agent, **fields}]}


def test_a_python_agent_that_asks_for_the_key_gets_it(alice, engine_settings, agent_calls):
    make_agent("effect", "Does real work once per key.")
    run = wait_for(start(alice, one_step("effect"), query="q"))

    assert run.status == "succeeded"
    assert [c["key"] for c in agent_calls()] == [f"{run.pk}:call:1"]


def test_a_python_agent_that_takes_only_the_payload_keeps_working(
    alice, engine_settings, agent_calls
):
    make_agent("echo", "Echoes.")
    run = wait_for(start(alice, one_step("echo"), query="q"))

    assert run.status == "succeeded"
    assert step(run, "call").output["text"] == "echo: q"


def test_a_retry_is_a_new_attempt_with_a_new_key(alice, engine_settings, agent_calls):
    make_agent("flaky", "Fails once.")
    make_agent("effect", "Does real work once per key.")
    plan = {
        "name": "retry",
        "steps": [
            {"id": "first", "type": "agent", "agent": "flaky", "retries": 1},
            {"id": "then", "type": "agent", "agent": "effect", "depends_on": ["first"]},
        ],
    }
    run = wait_for(start(alice, plan, query="q"))

    assert run.status == "succeeded"
    assert step(run, "first").attempt == 2
    assert [c["key"] for c in agent_calls() if c["agent"] == "effect"] == [f"{run.pk}:then:1"]


@pytest.fixture
def agent_host(engine_settings):
    """agent.example resolves to a loopback listener (allowlisted for tests)."""
    with (
        Listener() as listener,
        egress.use_resolver(StubResolver({"agent.example": ["127.0.0.1"]})),
    ):
        yield listener


def test_an_http_agent_gets_an_idempotency_key_header(alice, agent_host):
    Agent.objects.create(
        slug="remote",
        name="Remote",
        description="A remote service.",
        kind="http",
        kind_config={"url": agent_host.url("agent.example")},
        owner=alice,
    )
    run = wait_for(start(alice, one_step("remote"), query="q"))

    assert run.status == "succeeded", step(run, "call").error
    assert [r["headers"].get("Idempotency-Key") for r in agent_host.requests] == [
        f"{run.pk}:call:1"
    ]


def test_an_llm_agent_sends_its_key_to_the_model_server(alice, engine_settings):
    if engine_settings.DISTRIBUTED:
        pytest.skip("the worker process does not see this test's secret variable")
    with OpenAIServer() as server:
        make_connection(server.v1)
        server.stream(["first ", "answer"])
        server.stream(["second ", "answer"])
        Agent.objects.create(
            slug="writer",
            name="Writer",
            description="Writes text.",
            kind="llm",
            kind_config={"model": "openai/test-model"},
            shared_with_all_teams=True,
        )
        plan = {
            "name": "two",
            "steps": [
                {"id": "draft", "type": "agent", "agent": "writer"},
                {"id": "edit", "type": "agent", "agent": "writer", "depends_on": ["draft"]},
            ],
        }
        run = wait_for(start(alice, plan, query="q"))
        sent = [r.headers.get("Idempotency-Key") for r in server.requests]

    assert run.status == "succeeded", run.error
    assert step(run, "edit").output["text"] == "second answer"
    assert sent == [f"{run.pk}:draft:1", f"{run.pk}:edit:1"]
