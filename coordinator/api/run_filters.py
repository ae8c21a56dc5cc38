"""The run list's filters (GET /api/runs/): one place that turns query parameters into a
queryset filter, refusing a bad value with a 400 that names the parameter."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ValidationError

from coordinator.models import RunStatus

MAX_SEARCH_CHARS = 200


def filtered(runs: QuerySet, params) -> QuerySet:
    if params.get("canvas"):
        runs = runs.filter(canvas_id=_uuid("canvas", params["canvas"]))
    if params.get("trigger"):
        runs = runs.filter(source_trigger_id=_uuid("trigger", params["trigger"]))
    if params.get("conversation"):
        runs = runs.filter(conversation_id=_uuid("conversation", params["conversation"]))
    if params.get("status"):
        wanted = _list(params["status"])
        unknown = set(wanted) - set(RunStatus.values)
        if unknown:
            raise ValidationError(
                {"status": f"unknown status {sorted(unknown)}; use {RunStatus.values}"}
            )
        runs = runs.filter(status__in=wanted)
    if params.get("source"):
        runs = runs.filter(trigger__in=_list(params["source"]))
    if params.get("created_after"):
        runs = runs.filter(created__gte=_instant("created_after", params["created_after"]))
    if params.get("created_before"):
        runs = runs.filter(created__lt=_instant("created_before", params["created_before"]))
    text = (params.get("q") or "").strip()
    if len(text) > MAX_SEARCH_CHARS:
        raise ValidationError({"q": f"at most {MAX_SEARCH_CHARS} characters"})
    if text:
        runs = runs.filter(
            Q(query__icontains=text) | Q(canvas__name__icontains=text) | Q(error__icontains=text)
        )
    return runs


def _list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def _uuid(name: str, raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationError({name: "must be a UUID"}) from None


def _instant(name: str, raw: str) -> datetime:
    """An ISO 8601 date-time, or a date (its midnight); naive values are in the server's
    time zone."""
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.combine(day, time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({name: "must be an ISO 8601 date or date-time"})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value
