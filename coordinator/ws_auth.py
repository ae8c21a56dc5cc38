"""Websocket authentication: the session cookie, or a DRF token for API clients.

The user is not looked up here. `scope["user"]` is a lazy object that resolves (session
first, then `?token=` / a `token.KEY` subprotocol) when first read, which a consumer does
inside its one trip to the database thread at connect, along with its tenancy check and its
first read (coordinator/transport/consumers.py): one trip per socket where Channels' stack
made one for the session user and one more for a token. A lazy read from async code raises
Django's SynchronousOnlyOperation rather than block the event loop.
"""

from functools import partial
from types import SimpleNamespace
from urllib.parse import parse_qs

from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject


def user_for_scope(scope):
    """The session's user, else the token's, else AnonymousUser (database queries: sync)."""
    # Django's own session check (auth hash, key fallbacks; a stale session is flushed).
    user = auth.get_user(SimpleNamespace(session=scope["session"]))
    if user.is_authenticated:
        return user
    key = _token_from_scope(scope)
    if key:
        return _user_for_token(key)
    return user


def _user_for_token(key: str):
    # Imported here: DRF's token model needs the app registry, which is not ready when the
    # ASGI application imports this module.
    from rest_framework.authtoken.models import Token

    try:
        return Token.objects.select_related("user").get(key=key).user
    except Token.DoesNotExist:
        return AnonymousUser()


def may_be_authenticated(scope) -> bool:
    """False when the socket carries no credential at all: refused with no database work."""
    return bool(scope["cookies"].get(settings.SESSION_COOKIE_NAME) or _token_from_scope(scope))


class LazyUserMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        scope["user"] = SimpleLazyObject(partial(user_for_scope, scope))
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
    return CookieMiddleware(SessionMiddleware(LazyUserMiddleware(inner)))
