import pytest
from asgiref.sync import sync_to_async

from tests.engine_helpers import make_agent, start, wait_for
from tests.live.ws import communicator, token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def alices_run(alice):
    await sync_to_async(make_agent)("echo", "Echoes the query back.")
    run = await sync_to_async(start)(
        alice, {"name": "p", "steps": [{"id": "a", "type": "agent", "agent": "echo"}]}
    )
    return await sync_to_async(wait_for)(run)


async def test_an_anonymous_connection_is_closed(alice, engine_settings):
    run = await alices_run(alice)
    comm = communicator(f"/ws/runs/{run.pk}/")
    connected, code = await comm.connect()
    assert not connected
    assert code == 4401


async def test_a_bad_token_is_treated_as_anonymous(alice, engine_settings):
    run = await alices_run(alice)
    connected, code = await communicator(f"/ws/runs/{run.pk}/", token="nope").connect()
    assert (connected, code) == (False, 4401)


async def test_a_foreign_origin_is_refused(alice, engine_settings):
    run = await alices_run(alice)
    token = await sync_to_async(token_for)(alice)
    comm = communicator(
        f"/ws/runs/{run.pk}/", token=token, origin=(b"origin", b"https://evil.example")
    )
    connected, _ = await comm.connect()
    assert not connected


async def test_charlie_cannot_subscribe_to_alices_run(alice, charlie, engine_settings):
    run = await alices_run(alice)
    comm = communicator(f"/ws/runs/{run.pk}/", token=await sync_to_async(token_for)(charlie))
    connected, code = await comm.connect()
    assert (connected, code) == (False, 4404)


async def test_charlie_cannot_watch_alices_canvas(alice, charlie, engine_settings):
    run = await alices_run(alice)
    comm = communicator(
        f"/ws/canvases/{run.canvas_id}/", token=await sync_to_async(token_for)(charlie)
    )
    connected, code = await comm.connect()
    assert (connected, code) == (False, 4404)


@pytest.mark.parametrize("after", ["x", "-1", "99999999999999999999"])
async def test_a_malformed_after_is_refused(alice, engine_settings, after):
    run = await alices_run(alice)
    comm = communicator(
        f"/ws/runs/{run.pk}/?after={after}", token=await sync_to_async(token_for)(alice)
    )
    connected, code = await comm.connect()
    assert (connected, code) == (False, 4400)
