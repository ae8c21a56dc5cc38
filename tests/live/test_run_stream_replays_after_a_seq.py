import pytest
from asgiref.sync import sync_to_async

from tests.engine_helpers import make_agent, start, wait_for
from tests.live.ws import communicator, receive_until, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

PLAN = {
    "name": "two",
    "steps": [
        {"id": "a", "type": "agent", "agent": "echo"},
        {"id": "b", "type": "agent", "agent": "echo", "depends_on": ["a"]},
    ],
}


async def finished_run(alice):
    await sync_to_async(make_agent)("echo", "Echoes the query back.")
    run = await sync_to_async(start)(alice, PLAN, query="hi")
    return await sync_to_async(wait_for)(run)


async def test_it_replays_only_the_events_after_the_given_seq(alice, engine_settings):
    run = await finished_run(alice)
    total = run.event_seq
    comm = communicator(f"/ws/runs/{run.pk}/?after=3", token=await sync_to_async(token_for)(alice))
    connected, _ = await comm.connect()
    assert connected
    messages = await receive_until(comm, lambda m: m["type"] == "run.succeeded")
    assert [m["seq"] for m in messages] == list(range(4, total + 1))
    assert messages[0]["run"] == str(run.pk)
    assert set(messages[0]) == {"seq", "run", "type", "phase", "step", "agent", "at", "data"}
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_after_zero_replays_the_complete_history(alice, engine_settings):
    run = await finished_run(alice)
    comm = communicator(f"/ws/runs/{run.pk}/", token=await sync_to_async(token_for)(alice))
    await comm.connect()
    messages = await receive_until(comm, lambda m: m["type"] == "run.succeeded")
    assert [m["seq"] for m in messages] == list(range(1, run.event_seq + 1))
    assert messages[0]["type"] == "run.queued"
    await comm.disconnect()
