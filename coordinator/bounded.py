"""Values Baton stores or streams, made storable and bounded in size.

Step outputs, run results and event payloads come from agents and expressions, so their
size is not ours to choose. Before they are written they are repaired (unstorable
characters → U+FFFD, see coordinator.unstorable) and, when their JSON is longer than the
limit, replaced by a marker that says so and keeps the beginning:

    {"truncated": true, "original_chars": 5234123, "limit": 200000, "preview": "{\"text\": \"…"}

The same marker (with a smaller limit) summarises run results in list responses.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

from coordinator.unstorable import repaired

PREVIEW_SHARE = 0.9  # of the limit: the rest is the marker's own fields


def bounded(value: Any, limit: int) -> Any:
    """`value`, storable, or a truncation marker when its JSON exceeds `limit` characters."""
    value = repaired(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and len(value) <= limit:
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) <= limit:
        return value
    return truncation_marker(text, limit)


def truncation_marker(text: str, limit: int) -> dict:
    return {
        "truncated": True,
        "original_chars": len(text),
        "limit": limit,
        "preview": text[: max(0, int(limit * PREVIEW_SHARE) - 100)],
    }


def is_truncated(value: Any) -> bool:
    return isinstance(value, dict) and value.get("truncated") is True and "preview" in value


def stored_output(value: Any) -> Any:
    """A step output or run result as it is written to the database."""
    return bounded(value, settings.BATON_MAX_OUTPUT_CHARS)


def event_payload(value: dict) -> dict:
    """An event's `data` as it is written and streamed: over the limit, a marker."""
    out = bounded(value, settings.BATON_MAX_EVENT_CHARS)
    return out if isinstance(out, dict) else {"value": out}


def list_summary(value: Any) -> Any:
    """A run's result as list responses show it (the run's own URL has it whole)."""
    return bounded(value, settings.BATON_LIST_RESULT_CHARS)
