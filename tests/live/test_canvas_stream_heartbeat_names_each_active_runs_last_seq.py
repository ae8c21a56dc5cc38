"""The canvas socket forwards events as they are broadcast: at most once, and not in seq order.
Its heartbeat names each active run's last seq, so a browser that is behind (a run's last
event lost, with nothing after it to reveal the gap) knows to fetch what it missed; a run
that ended is no longer listed."""

import pytest
from asgiref.sync import sync_to_async

from coordinator.models import Run
from tests.engine_helpers import make_agent, make_canvas, start, wait_for
from tests.live.ws import communicator, receive_until, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

WAITS = {
    "name": "gate",
    "steps": [{"id": "review", "type": "human_approval", "prompt": "Go?", "assignee": "alice"}],
}
ENDS = {"name": "one", "steps": [{"id": "a", "type": "agent", "agent": "echo"}]}


@pytest.fixture
def fast_heartbeat(engine_settings):
    engine_settings.BATON_WS_HEARTBEAT_SECONDS = 0.2


async def test_the_heartbeat_lists_the_active_runs_last_seq_and_not_the_ended_ones(
    alice, fast_heartbeat
):
    await sync_to_async(make_agent)("echo", "Echoes the query back.")
    canvas = await sync_to_async(make_canvas)(alice, "watched")
    ended = await sync_to_async(wait_for)(await sync_to_async(start)(alice, ENDS, canvas=canvas))
    waiting = await sync_to_async(wait_for)(
        await sync_to_async(start)(alice, WAITS, canvas=canvas), statuses={"waiting"}
    )
    comm = communicator(f"/ws/canvases/{canvas.pk}/", token=await sync_to_async(token_for)(alice))
    assert (await comm.connect())[0]

    beat = (await receive_until(comm, lambda m: m["type"] == "heartbeat"))[-1]

    last_seq = await sync_to_async(
        lambda: Run.objects.values_list("event_seq", flat=True).get(pk=waiting.pk)
    )()
    assert beat == {"type": "heartbeat", "runs": [{"run": str(waiting.pk), "last_seq": last_seq}]}
    assert str(ended.pk) not in str(beat)
    await comm.disconnect()
