"""The permission matrix, websockets: the run stream, the canvas stream and the inbox as
the owner, a team member, another user, staff and an anonymous client (close codes: 4401
not signed in, 4404 nothing visible there)."""

import pytest
from asgiref.sync import sync_to_async

from tests.live.ws import communicator, token_for
from tests.security.matrix_world import ROLES, build

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ACCEPT = "accept"
SOCKETS = {
    # socket: (path(world), expected for owner, member, other, staff, anonymous)
    "run": (lambda w: f"/ws/runs/{w.run.pk}/", (ACCEPT, ACCEPT, 4404, 4404, 4401)),
    "canvas": (lambda w: f"/ws/canvases/{w.canvas.pk}/", (ACCEPT, ACCEPT, 4404, 4404, 4401)),
    "private canvas": (
        lambda w: f"/ws/canvases/{w.private.pk}/",
        (ACCEPT, 4404, 4404, 4404, 4401),
    ),
    "inbox": (lambda w: "/ws/inbox/", (ACCEPT, ACCEPT, ACCEPT, ACCEPT, 4401)),
}


@pytest.mark.parametrize("socket", list(SOCKETS))
async def test_each_role_may_open_exactly_the_sockets_it_should(socket):
    world = await sync_to_async(build)()
    path, expected = SOCKETS[socket]
    for role, wanted in zip(ROLES, expected, strict=True):
        user = world.users[role]
        token = await sync_to_async(token_for)(user) if user else None
        comm = communicator(path(world), token=token)
        connected, code = await comm.connect()
        outcome = ACCEPT if connected else code
        await comm.disconnect()
        assert outcome == wanted, (socket, role)
