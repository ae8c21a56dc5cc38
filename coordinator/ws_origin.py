"""Websocket origin check: scheme, host AND port must match.

Channels' AllowedHostsOriginValidator compares only the host name, so a page served from
another port of the same host (another app, a dev server) could open sockets with the
user's cookies. A socket is accepted when its Origin is one of BATON_CSRF_TRUSTED_ORIGINS
or exactly the origin the socket itself was opened on (Host header, ws→http, wss→https),
and its host is in ALLOWED_HOSTS. No Origin header: refused, as before.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import validate_host

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(origin: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(origin.strip())
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host or port is None:
        return None
    return scheme, host, port


def origin_allowed(origin: str | None, scope_scheme: str, host_header: str | None) -> bool:
    wanted = normalise(origin or "")
    if wanted is None or not validate_host(wanted[1], settings.ALLOWED_HOSTS):
        return False
    trusted = {normalise(o) for o in settings.CSRF_TRUSTED_ORIGINS}
    if wanted in trusted:
        return True
    if host_header:
        own_scheme = "https" if scope_scheme == "wss" else "http"
        return wanted == normalise(f"{own_scheme}://{host_header}")
    return False


class SameOriginValidator:
    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin", b"").decode("latin1") or None
        host = headers.get(b"host", b"").decode("latin1") or None
        if origin_allowed(origin, scope.get("scheme", "ws"), host):
            return await self.application(scope, receive, send)
        denier = WebsocketDenier()
        return await denier(scope, receive, send)
