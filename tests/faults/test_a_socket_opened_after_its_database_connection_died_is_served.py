"""A daphne's database connection is terminated (pg_terminate_backend) between two sockets:
the next socket still opens and replays every event, and a canvas socket still gets its
snapshot. The sockets' reads skip the per-call `SELECT 1` health check; a read that meets a
dead connection reconnects and reads again (coordinator/transport/reads.py)."""

import asyncio
import json

import pytest
import websockets

from tests.engine_helpers import make_agent, start, wait_for
from tests.faults.test_terminated_database_connections_fail_no_step import (
    terminate_other_connections,
)
from tests.live.ws import token_for
from tests.servers import Daphne
from tests.workers import worker_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.distributed_only]

PLAN = {
    "name": "two",
    "steps": [
        {"id": "a", "type": "agent", "agent": "echo"},
        {"id": "b", "type": "agent", "agent": "echo", "depends_on": ["a"]},
    ],
}


async def first_messages(url: str, origin: str, until: str) -> list[dict]:
    messages = []
    async with websockets.connect(url, origin=origin, open_timeout=10) as socket:
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
            messages.append(message)
            if message.get("type") == until:
                return messages


def test_sockets_open_and_replay_after_the_database_connection_was_terminated(
    alice, engine_settings, agent_files
):
    make_agent("echo", "Echoes the query back.")
    run = wait_for(start(alice, PLAN, query="hi"))
    token = token_for(alice)
    server = Daphne(worker_env(agent_files))
    try:
        run_url = f"ws://127.0.0.1:{server.port}/ws/runs/{run.pk}/?token={token}"
        canvas_url = f"ws://127.0.0.1:{server.port}/ws/canvases/{run.canvas_id}/?token={token}"
        everything = list(range(1, run.event_seq + 1))
        before = asyncio.run(first_messages(run_url, server.url, "run.succeeded"))
        assert [m["seq"] for m in before] == everything

        assert terminate_other_connections() >= 1  # daphne's connection among them

        after = asyncio.run(first_messages(run_url, server.url, "run.succeeded"))
        assert [m["seq"] for m in after] == everything
        assert terminate_other_connections() >= 1
        snapshot = asyncio.run(first_messages(canvas_url, server.url, "snapshot"))
        assert snapshot[-1] == {"type": "snapshot", "runs": []}
    finally:
        server.stop()
