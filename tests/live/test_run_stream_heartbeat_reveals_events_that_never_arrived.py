"""Events broadcast while the channel layer was down never reach a socket, and when they are
a run's last ones no later event reveals the gap. The run socket's heartbeat does: it
replays what is missing (after a `resync` notice) and says the run's last seq."""

import pytest
from asgiref.sync import sync_to_async

from coordinator.transport import events
from tests.engine_helpers import make_agent, start, wait_for
from tests.live.ws import communicator, receive_until, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

PLAN = {"name": "one", "steps": [{"id": "a", "type": "agent", "agent": "echo"}]}


@pytest.fixture
def fast_heartbeat(engine_settings):
    engine_settings.BATON_WS_HEARTBEAT_SECONDS = 0.2


async def connected_to_a_finished_run(alice):
    await sync_to_async(make_agent)("echo", "Echoes the query back.")
    run = await sync_to_async(wait_for)(await sync_to_async(start)(alice, PLAN, query="hi"))
    comm = communicator(f"/ws/runs/{run.pk}/", token=await sync_to_async(token_for)(alice))
    assert (await comm.connect())[0]
    replayed = await receive_until(comm, lambda m: m["type"] == "run.succeeded")
    return run, comm, replayed[-1]["seq"]


async def test_a_heartbeat_carries_the_last_seq(alice, fast_heartbeat):
    run, comm, last = await connected_to_a_finished_run(alice)

    beat = (await receive_until(comm, lambda m: m["type"] == "heartbeat"))[-1]

    assert beat == {"type": "heartbeat", "run": str(run.pk), "last_seq": last}
    await comm.disconnect()


async def test_events_that_were_never_broadcast_arrive_with_the_next_heartbeat(
    alice, fast_heartbeat, monkeypatch
):
    run, comm, last = await connected_to_a_finished_run(alice)
    monkeypatch.setattr(events, "broadcast", lambda *args, **kwargs: None)  # the layer is down
    for text in ("one", "two"):
        await sync_to_async(events.emit)(run.pk, "intervention", data={"text": text})

    messages = await receive_until(comm, lambda m: m["type"] == "heartbeat")

    assert messages[0] == {"type": "resync", "run": str(run.pk), "after": last}
    assert [(m["seq"], m["data"]["text"]) for m in messages[1:-1]] == [
        (last + 1, "one"),
        (last + 2, "two"),
    ]
    assert messages[-1]["last_seq"] == last + 2
    await comm.disconnect()
