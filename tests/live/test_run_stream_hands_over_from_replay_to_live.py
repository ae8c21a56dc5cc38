import asyncio

import pytest
from asgiref.sync import sync_to_async

from tests.engine_helpers import make_agent, start, wait_for
from tests.live.ws import communicator, receive_until, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

SLOW_CHAIN = {
    "name": "slow",
    "steps": [
        {
            "id": f"s{i}",
            "type": "agent",
            "agent": "slow",
            "input": {"seconds": 0.05},
            **({"depends_on": [f"s{i - 1}"]} if i else {}),
        }
        for i in range(12)
    ],
}


async def test_no_event_is_lost_or_repeated_when_connecting_mid_run(alice, engine_settings):
    await sync_to_async(make_agent)("slow", "Sleeps a little.")
    run = await sync_to_async(start)(alice, SLOW_CHAIN)
    token = await sync_to_async(token_for)(alice)
    # Wait until the run is part-way through, then join with an `after` from the past.
    while (await sync_to_async(lambda: type(run).objects.get(pk=run.pk).event_seq)()) < 10:
        await asyncio.sleep(0.01)
    comm = communicator(f"/ws/runs/{run.pk}/?after=5", token=token)
    assert (await comm.connect())[0]
    messages = await receive_until(comm, lambda m: m.get("type") == "run.succeeded", timeout=20)
    seqs = [m["seq"] for m in messages if "seq" in m]
    final = await sync_to_async(wait_for)(run)
    assert seqs == list(range(6, final.event_seq + 1))
    await comm.disconnect()


async def test_a_client_that_reconnects_with_its_last_seq_ends_with_every_event_once(
    alice, engine_settings
):
    await sync_to_async(make_agent)("slow", "Sleeps a little.")
    run = await sync_to_async(start)(alice, SLOW_CHAIN)
    token = await sync_to_async(token_for)(alice)
    seen: list[int] = []
    first = communicator(f"/ws/runs/{run.pk}/", token=token)
    await first.connect()
    # A heartbeat (no seq) comes whenever the stream is quiet for a while: not an event.
    await receive_until(
        first, lambda m: m.get("type") != "heartbeat" and (seen.append(m["seq"]) or len(seen) >= 8)
    )
    await first.disconnect()
    while (await sync_to_async(lambda: type(run).objects.get(pk=run.pk).event_seq)()) <= seen[-1]:
        await asyncio.sleep(0.01)  # until events came while nobody listened
    second = communicator(f"/ws/runs/{run.pk}/?after={seen[-1]}", token=token)
    await second.connect()
    rest = await receive_until(second, lambda m: m.get("type") == "run.succeeded", timeout=20)
    seen += [m["seq"] for m in rest if m.get("type") != "heartbeat"]
    final = await sync_to_async(wait_for)(run)
    assert seen == list(range(1, final.event_seq + 1))
    await second.disconnect()
