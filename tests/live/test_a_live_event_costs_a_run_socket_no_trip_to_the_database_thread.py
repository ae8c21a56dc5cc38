"""A live event reaches a watching socket with no database work: no query and no hop to the
database thread that every socket of a daphne shares (Channels' own dispatch makes one per
message to close stale connections; Baton's consumers reach the database only through
database_sync_to_async, which does that itself). The broadcaster serialised the event once;
the socket compares its seq and forwards the text."""

import json

import pytest
from asgiref.sync import SyncToAsync, sync_to_async

from coordinator.transport import events
from tests.engine_helpers import make_agent, start, wait_for
from tests.live.ws import communicator, receive_until, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

PLAN = {"name": "one", "steps": [{"id": "a", "type": "agent", "agent": "echo"}]}


async def test_live_events_reach_the_socket_without_a_hop_to_the_database_thread(
    alice, engine_settings, monkeypatch
):
    engine_settings.BATON_WS_HEARTBEAT_SECONDS = 3600  # no heartbeat read while counting
    await sync_to_async(make_agent)("echo", "Echoes the query back.")
    run = await sync_to_async(wait_for)(await sync_to_async(start)(alice, PLAN, query="hi"))
    comm = communicator(f"/ws/runs/{run.pk}/", token=await sync_to_async(token_for)(alice))
    assert (await comm.connect())[0]
    last = (await receive_until(comm, lambda m: m["type"] == "run.succeeded"))[-1]["seq"]
    message = {"run": str(run.pk), "type": "intervention", "data": {"text": "live"}}
    hops = []
    original = SyncToAsync.__call__

    def counted(self, *args, **kwargs):
        hops.append(getattr(self.func, "__name__", repr(self.func)))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counted)

    for seq in (last + 1, last + 2, last + 3):
        events.broadcast({**message, "seq": seq}, run.canvas_id)
        assert json.loads(await comm.receive_from(timeout=10)) == {**message, "seq": seq}

    assert hops == []
    await comm.disconnect()
