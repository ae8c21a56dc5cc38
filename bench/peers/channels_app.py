"""The peer of Baton's websocket fan-out: a bare Channels app on channels_redis's Pub/Sub layer
(the layer Baton uses), served by daphne. Every socket on /ws/ joins one group; whatever is
sent to the group is forwarded as it is. No authentication, no database, no replay, no
heartbeat: the floor of fanning events out with Channels on this machine.

    daphne bench.peers.channels_app:application          (BENCH_PEER_REDIS_URL chooses Redis)
"""

import os

import django
from django.conf import settings

GROUP = "bench-fanout"

if not settings.configured:
    settings.configure(
        INSTALLED_APPS=["channels"],
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {
                    "hosts": [os.environ.get("BENCH_PEER_REDIS_URL", "redis://127.0.0.1:6379/7")]
                },
            }
        },
    )
    django.setup()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class FanOut(AsyncWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def fanout_event(self, event):
        await self.send(text_data=event["text"])


async def not_found(scope, receive, send):
    """HTTP: nothing here (tests/servers.Daphne waits for any HTTP answer)."""
    await send({"type": "http.response.start", "status": 404, "headers": []})
    await send({"type": "http.response.body", "body": b""})


application = ProtocolTypeRouter(
    {"http": not_found, "websocket": URLRouter([path("ws/", FanOut.as_asgi())])}
)
