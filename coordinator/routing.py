"""Websocket routes (docs/architecture.md)."""

from django.urls import path

from coordinator.transport.consumers import CanvasConsumer, InboxConsumer, RunConsumer

websocket_urlpatterns = [
    path("ws/runs/<str:run_id>/", RunConsumer.as_asgi()),
    path("ws/canvases/<str:canvas_id>/", CanvasConsumer.as_asgi()),
    path("ws/inbox/", InboxConsumer.as_asgi()),
]
