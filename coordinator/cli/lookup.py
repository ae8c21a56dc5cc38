"""Who the command acts as, and the canvases and runs that user can see (as in the API)."""

from __future__ import annotations

import re
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from canvas.models import Canvas
from coordinator.cli import REFUSED
from coordinator.models import Run

_ID_PREFIX = re.compile(r"^[0-9a-fA-F-]{4,36}$")


def refuse(message: str) -> CommandError:
    return CommandError(message, returncode=REFUSED)


def resolve_user(username: str | None):
    """The named active user; without a name, the only active superuser."""
    users = get_user_model().objects
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise refuse(f"no user {username!r}")
        if not user.is_active:
            raise refuse(f"user {username!r} is inactive")
        return user
    supers = list(users.filter(is_superuser=True, is_active=True).order_by("username")[:11])
    if len(supers) == 1:
        return supers[0]
    if supers:
        names = ", ".join(u.username for u in supers[:10])
        raise refuse(f"several superusers ({names}); choose one with --user USERNAME")
    names = list(
        users.filter(is_active=True).order_by("username").values_list("username", flat=True)[:10]
    )
    choice = (
        f" (users: {', '.join(names)})" if names else " (there are no users yet: createsuperuser)"
    )
    raise refuse(f"no superuser to act as; pass --user USERNAME{choice}")


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def resolve_canvas(ref: str, user) -> Canvas:
    """A canvas visible to `user` by slug or id."""
    ident = _as_uuid(ref)
    if ident:
        canvas = Canvas.objects.visible_to(user).filter(pk=ident).first()
    else:
        canvas = Canvas.objects.resolve(user, ref)
    if canvas is None:
        raise refuse(f"no canvas {ref!r} visible to {user.username}")
    return canvas


def resolve_run(ref: str, user) -> Run:
    """A run visible to `user` by id, or by an unambiguous prefix of its id (like git)."""
    runs = Run.objects.visible_to(user).select_related("canvas", "version", "created_by")
    ident = _as_uuid(ref)
    if ident:
        found = list(runs.filter(pk=ident)[:1])
    elif _ID_PREFIX.match(ref):
        found = list(runs.filter(id__startswith=ref.lower())[:2])
    else:
        found = []
    if not found:
        raise refuse(f"no run {ref!r} visible to {user.username}")
    if len(found) > 1:
        raise refuse(f"run id prefix {ref!r} is ambiguous; give more of the id")
    return found[0]
