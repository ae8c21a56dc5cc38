"""Websocket test helpers: connect through the real ASGI application (auth, origin check)."""

import json

from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from coordinator.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def communicator(path: str, token: str | None = None, origin=ORIGIN) -> WebsocketCommunicator:
    if token:
        path += ("&" if "?" in path else "?") + f"token={token}"
    headers = [origin] if origin else []
    return WebsocketCommunicator(application, path, headers=headers)


async def receive_until(comm, predicate, timeout: float = 10.0) -> list[dict]:
    """Collect messages until predicate(message) is true for one; return them all."""
    messages = []
    while True:
        message = json.loads(await comm.receive_from(timeout=timeout))
        messages.append(message)
        if predicate(message):
            return messages
