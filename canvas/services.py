"""Canvas writes that must never be half-done: creating, saving and restoring versions.

Every function here runs in one transaction. Version numbers come from the canvas row,
read under `select_for_update` (PostgreSQL) or inside SQLite's `BEGIN IMMEDIATE`
(settings' transaction_mode), so concurrent saves get 1, 2, 3 … with no duplicates;
the (canvas, number) unique constraint is the backstop.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from canvas.models import Canvas, CanvasVersion

SLUG_MAX = 100
_SLUG_BASE_MAX = 90  # leaves room for a "-123" suffix


class SlugTaken(ValueError):
    """The explicitly requested slug belongs to another canvas of the same owner."""


def slug_base(name: str) -> str:
    base = slugify(name)[:_SLUG_BASE_MAX].strip("-_")
    return base or "canvas"


def _free_slug(base: str, owner) -> str:
    """Slugs are unique per owner, so only the owner's own canvases are consulted."""
    taken = set(
        Canvas.objects.filter(owner=owner, slug__startswith=base).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


@transaction.atomic
def create_canvas(
    *,
    owner,
    name: str,
    slug: str | None = None,
    description: str = "",
    team=None,
    graph: dict[str, Any] | None = None,
    message: str = "Created",
) -> Canvas:
    """A new canvas; with a graph, also its version 1. A missing slug is made from the name."""
    for _attempt in range(20):
        candidate = slug or _free_slug(slug_base(name), owner)
        try:
            with transaction.atomic():
                canvas = Canvas.objects.create(
                    name=name, slug=candidate, description=description, owner=owner, team=team
                )
            break
        except IntegrityError:
            if slug:
                raise SlugTaken(slug) from None
            # Someone took the generated slug between our read and our insert: try again.
    else:  # pragma: no cover - needs 20 lost races in a row
        raise SlugTaken(slug_base(name))
    if graph is not None:
        save_version(canvas, graph, owner, message)
    return canvas


@transaction.atomic
def save_version(canvas: Canvas, graph: dict[str, Any], author, message: str = "") -> CanvasVersion:
    """Version N+1 of `canvas` holding `graph`; bumps canvas.latest_version in the same transaction."""
    current = (
        Canvas.objects.select_for_update()
        .values_list("latest_version", flat=True)
        .get(pk=canvas.pk)
    )
    number = current + 1
    version = CanvasVersion.objects.create(
        canvas_id=canvas.pk, number=number, author=author, message=message, graph=graph
    )
    now = timezone.now()
    Canvas.objects.filter(pk=canvas.pk).update(latest_version=number, updated=now)
    canvas.latest_version = number
    canvas.updated = now
    return version


@transaction.atomic
def restore_version(canvas: Canvas, number: int, author) -> CanvasVersion:
    """A new version copying version `number`'s graph. Raises CanvasVersion.DoesNotExist."""
    graph = CanvasVersion.objects.values_list("graph", flat=True).get(
        canvas_id=canvas.pk, number=number
    )
    return save_version(canvas, graph, author, f"Restored version {number}")


def latest_graph(canvas: Canvas) -> dict[str, Any] | None:
    """The graph of the canvas's latest version, or None before the first save (one query)."""
    if not canvas.latest_version:
        return None
    return (
        CanvasVersion.objects.filter(canvas_id=canvas.pk, number=canvas.latest_version)
        .values_list("graph", flat=True)
        .first()
    )
