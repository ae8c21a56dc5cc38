import pytest
from asgiref.sync import sync_to_async

from coordinator.models import Approval
from tests.engine_helpers import make_agent, make_canvas, start
from tests.live.ws import communicator, receive_until, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_the_canvas_stream_carries_every_run_of_the_canvas(alice, engine_settings):
    await sync_to_async(make_agent)("echo", "Echoes.")
    canvas = await sync_to_async(make_canvas)(alice, "watched")
    comm = communicator(f"/ws/canvases/{canvas.pk}/", token=await sync_to_async(token_for)(alice))
    assert (await comm.connect())[0]
    snapshot = await receive_until(comm, lambda m: m["type"] == "snapshot")
    assert snapshot[-1]["runs"] == []
    plan = {"name": "p", "steps": [{"id": "a", "type": "agent", "agent": "echo"}]}
    run = await sync_to_async(start)(alice, plan, canvas=canvas)
    messages = await receive_until(comm, lambda m: m["type"] == "run.succeeded")
    assert {m["run"] for m in messages} == {str(run.pk)}
    assert ("step.succeeded", "a") in [(m["type"], m["step"]) for m in messages]
    await comm.disconnect()


async def test_the_inbox_shows_bob_the_approval_assigned_to_him(
    alice, bob, charlie, engine_settings
):
    plan = {
        "name": "gate",
        "steps": [
            {"id": "review", "type": "human_approval", "prompt": "Ship it?", "assignee": "bob"},
        ],
    }
    bob_inbox = communicator("/ws/inbox/", token=await sync_to_async(token_for)(bob))
    charlie_inbox = communicator("/ws/inbox/", token=await sync_to_async(token_for)(charlie))
    assert (await bob_inbox.connect())[0] and (await charlie_inbox.connect())[0]
    await receive_until(bob_inbox, lambda m: m["type"] == "snapshot")
    await receive_until(charlie_inbox, lambda m: m["type"] == "snapshot")
    await sync_to_async(start)(alice, plan)
    requested = await receive_until(bob_inbox, lambda m: m["type"] == "approval.requested")
    approval_id = requested[-1]["data"]["approval"]
    assert requested[-1]["data"]["prompt"] == "Ship it?"
    assert await sync_to_async(Approval.objects.filter(pk=approval_id, status="pending").exists)()
    assert await charlie_inbox.receive_nothing(timeout=0.3)
    await bob_inbox.disconnect()
    await charlie_inbox.disconnect()
