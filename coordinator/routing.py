"""Websocket routes (DESIGN §8). Consumers arrive with the live-progress work."""

websocket_urlpatterns: list = []
