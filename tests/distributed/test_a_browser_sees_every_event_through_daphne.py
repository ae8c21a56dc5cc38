"""A websocket client on a real daphne process sees every event a real Celery worker emits
for a HIGH run, in order; it disconnects mid-run, reconnects with its last seq and ends with
the complete sequence exactly once (docs/architecture.md)."""

import asyncio
import json

import pytest
import websockets

from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, wait_for
from tests.live.ws import token_for
from tests.servers import Daphne
from tests.workers import worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

QUERY = "Show the revenue by region, the weather forecast for Paris, and translate the summary into German"


def register_slow_team():
    make_agent(
        "sales",
        "Sales analytics: revenue, income and sales figures per region and quarter.",
        fn="slow",
    )
    make_agent("weather", "Weather forecasts: temperature, rain and wind for a city.", fn="slow")
    make_agent(
        "translator", "Translates text between languages such as French and German.", fn="slow"
    )


async def collect(url: str, origin: str, stop_after: int | None = None) -> list[dict]:
    messages = []
    async with websockets.connect(url, origin=origin, open_timeout=10) as socket:
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=30))
            if "seq" not in message:
                continue  # a resync notice: the missed events follow from the database
            messages.append(message)
            if message.get("type") in ("run.succeeded", "run.failed"):
                return messages
            if stop_after and len(messages) >= stop_after:
                return messages


def test_every_event_of_a_high_run_arrives_once_across_a_reconnect(
    alice, engine_settings, agent_files
):
    register_slow_team()
    server = Daphne(worker_env(agent_files))
    try:
        token = token_for(alice)
        run = start(
            alice,
            coordinator_plan(agents=["sales", "weather", "translator"], enable_reflection=False),
            query=QUERY,
        )
        base = f"ws://127.0.0.1:{server.port}/ws/runs/{run.pk}/"
        first = asyncio.run(collect(f"{base}?token={token}", server.url, stop_after=12))
        last = first[-1]["seq"]
        rest = asyncio.run(collect(f"{base}?after={last}&token={token}", server.url))
        run = wait_for(run, timeout=60)
    finally:
        server.stop()
    seqs = [m["seq"] for m in first + rest]
    assert seqs == list(range(1, run.event_seq + 1))
    types = [m["type"] for m in first + rest]
    assert run.complexity["level"] == "HIGH"
    assert types.count("agent.succeeded") == 3
    phases = [m["phase"] for m in first + rest if m["type"] == "phase.completed"]
    assert phases == ["complexity", "selection", "planning", "execution", "synthesis"]
    assert types[-1] == "run.succeeded"
