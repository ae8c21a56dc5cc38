"""`workflow inbox` and `workflow decide`: the reviewer's inbox in the terminal."""

from __future__ import annotations

import json
import re

from django.db.models import F

from coordinator import clock
from coordinator.cli.format import clip, duration, table
from coordinator.cli.lookup import refuse
from coordinator.engine.approvals import active_claimer, inbox_items, visible_approvals
from coordinator.models import Approval

DECIDED = ["approved", "rejected", "answered", "responded", "expired", "cancelled"]
_ID_PREFIX = re.compile(r"^[0-9a-fA-F-]{4,36}$")


def inbox_items_for(user, status: str, kind: str | None, limit: int) -> list[Approval]:
    items = inbox_items(user).select_related(
        "run__canvas",
        "run__created_by",
        "step_run",
        "assignee_user",
        "assignee_group",
        "claimed_by",
        "decided_by",
    )
    if status == "decided":
        items = items.filter(status__in=DECIDED)
    elif status != "all":
        if status not in ("pending", *DECIDED):
            raise refuse(
                f"unknown status {status!r}; use pending, decided, all or one of "
                f"{', '.join(DECIDED)}"
            )
        items = items.filter(status=status)
    if kind:
        items = items.filter(kind=kind)
    return list(items.order_by(F("due_at").asc(nulls_last=True), "-created")[:limit])


def inbox_rows(items: list[Approval]) -> list[str]:
    now = clock.now()
    rows = []
    for item in items:
        state = item.status
        holder = active_claimer(item)
        if holder:
            state += f" (claimed by {holder.username})"
        if item.required_approvals > 1:
            votes = item.entries.filter(action="approved").count()
            state += f" {votes}/{item.required_approvals}"
        due = "-"
        if item.due_at:
            seconds = (item.due_at - now).total_seconds()
            due = f"overdue {duration(-seconds)}" if seconds <= 0 else f"in {duration(seconds)}"
        rows.append(
            [
                str(item.pk)[:8],
                item.kind,
                item.run.canvas.slug,
                item.step_run.step_id,
                item.run.created_by.username if item.run.created_by else "-",
                duration((now - item.created).total_seconds()),
                due,
                state,
                clip(item.prompt, 60),
            ]
        )
    headers = ["ITEM", "KIND", "CANVAS", "STEP", "ASKED BY", "AGE", "DUE", "STATUS", "PROMPT"]
    return table(headers, rows)


def resolve_item(ref: str, user) -> Approval:
    """An item this user may decide, by id or an unambiguous id prefix."""
    items = visible_approvals(user).select_related("step_run", "run")
    if not _ID_PREFIX.match(ref):
        raise refuse(f"no item {ref!r} for {user.username}")
    found = list(items.filter(id__startswith=ref.lower())[:2])
    if not found:
        raise refuse(f"no item {ref!r} for {user.username}")
    if len(found) > 1:
        raise refuse(f"item id prefix {ref!r} is ambiguous; give more of the id")
    return found[0]


def parse_json_option(name: str, raw: str):
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise refuse(f"{name} is not valid JSON: {exc}") from None
