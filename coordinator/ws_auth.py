"""Websocket authentication: the session cookie, or a DRF token for API clients."""

from urllib.parse import parse_qs

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    try:
        return Token.objects.select_related("user").get(key=key).user
    except Token.DoesNotExist:
        return AnonymousUser()


class TokenAuthMiddleware:
    """Authenticates `?token=KEY` or a `token.KEY` subprotocol when no session user is present."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is None or not user.is_authenticated:
            key = _token_from_scope(scope)
            if key:
                scope = dict(scope, user=await _user_for_token(key))
        return await self.inner(scope, receive, send)


def _token_from_scope(scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode())
    if query.get("token"):
        return query["token"][0]
    for proto in scope.get("subprotocols", []) or []:
        if proto.startswith("token."):
            return proto.removeprefix("token.")
    return None


def TokenOrSessionAuthMiddlewareStack(inner):  # noqa: N802 (mirrors Channels' naming)
    return AuthMiddlewareStack(TokenAuthMiddleware(inner))
