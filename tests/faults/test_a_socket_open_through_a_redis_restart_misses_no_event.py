"""A browser's run socket stays open while Redis is killed and restarted mid-run: the events
broadcast during the outage never arrive live (and the restarted Redis has forgotten the
socket's group), yet the server's heartbeat replays them, so the client ends with every event,
the run's end included, once and in order."""

import asyncio
import json
import threading
import time

import pytest
import websockets

from tests.engine_helpers import start, wait_for
from tests.faults.runs import effect_agent
from tests.live.ws import token_for
from tests.servers import Daphne

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

CHAIN = {
    "name": "chain",
    "steps": [
        {"id": f"s{i}", "type": "agent", "agent": "effect", "input": {"seconds": 1}}
        | ({"depends_on": [f"s{i - 1}"]} if i else {})
        for i in range(5)
    ],
}


async def collect(url: str, origin: str, first_events: threading.Event) -> list[dict]:
    events = []
    async with websockets.connect(url, origin=origin, open_timeout=30) as socket:
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=60))
            if "seq" not in message:
                continue  # resync notices and heartbeats
            events.append(message)
            if len(events) >= 3:
                first_events.set()
            if message["type"] in ("run.succeeded", "run.failed"):
                return events


def test_a_socket_open_through_a_redis_restart_gets_every_event(alice, cluster):
    effect_agent()
    cluster.worker("a")
    server = Daphne(cluster.env(BATON_WS_HEARTBEAT_SECONDS=1))
    try:
        run = start(alice, CHAIN, query="q")
        url = f"ws://127.0.0.1:{server.port}/ws/runs/{run.pk}/?token={token_for(alice)}"
        first_events, received = threading.Event(), []
        client = threading.Thread(
            target=lambda: received.extend(asyncio.run(collect(url, server.url, first_events)))
        )
        client.start()
        assert first_events.wait(60), "\n".join(server.output)
        cluster.redis.kill()
        time.sleep(3)
        cluster.redis.start()
        client.join(120)
        run = wait_for(run, timeout=60)
    finally:
        server.stop()

    assert run.status == "succeeded"
    assert [m["seq"] for m in received] == list(range(1, run.event_seq + 1))
    assert received[-1]["type"] == "run.succeeded"
