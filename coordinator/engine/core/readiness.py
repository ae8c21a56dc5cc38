"""Which steps can move now. Pure: rows in, actions out; the engine carries them out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from coordinator.engine.core.state import EngineState
from coordinator.expressions import ExpressionError, is_true

PENDING, RUNNING, WAITING = "pending", "running", "waiting"
SUCCEEDED, FAILED, SKIPPED, CANCELLED = "succeeded", "failed", "skipped", "cancelled"
TERMINAL = {SUCCEEDED, FAILED, SKIPPED, CANCELLED}
PARENT_TYPES = {"parallel", "coordinator"}


@dataclass(frozen=True)
class RowView:
    id: int
    step_id: str
    type: str
    status: str
    parent: str
    depends_on: tuple[str, ...]
    spec: dict
    resume_at: datetime | None
    has_children_stage: bool  # a coordinator that has spawned its stages
    awaits_person: bool = False  # an escalation, or a coordinator's plan under review

    @classmethod
    def of(cls, row) -> RowView:
        return cls(
            id=row.pk,
            step_id=row.step_id,
            type=row.type,
            status=row.status,
            parent=row.parent,
            depends_on=tuple(row.depends_on or ()),
            spec=row.spec or {},
            resume_at=row.resume_at,
            has_children_stage=bool(
                row.output
                and isinstance(row.output, dict)
                and row.output.get("stage") == "executing"
            ),
            awaits_person=bool(
                EngineState.of(row).escalation
                or (isinstance(row.output, dict) and row.output.get("stage") == "plan_review")
            ),
        )


@dataclass
class Action:
    kind: (
        str  # claim | skip | resume | finalize | synthesize | finish | mark_waiting | mark_running
    )
    row_id: int | None = None
    reason: str = ""
    children: list[int] = field(default_factory=list)


def next_actions(
    rows: list[RowView], now: datetime, context: Callable[[], dict] | None = None
) -> list[Action]:
    by_id = {r.step_id: r for r in rows}
    children: dict[str, list[RowView]] = {}
    for r in rows:
        if r.parent:
            children.setdefault(r.parent, []).append(r)
    actions: list[Action] = []
    ctx: dict | None = None
    running_per_parent = {
        p: sum(1 for c in kids if c.status == RUNNING) for p, kids in children.items()
    }

    for row in rows:
        if row.status == PENDING:
            decision = _pending_decision(row, by_id, now)
            if decision is None:
                continue
            if decision != "ready":
                actions.append(Action("skip", row.id, reason=decision))
                continue
            limit = _concurrency_limit(row, by_id)
            if limit is not None and running_per_parent.get(row.parent, 0) >= limit:
                continue
            when = row.spec.get("when") or row.spec.get("condition_expr")
            if when:
                if ctx is None:
                    ctx = context() if context else {}
                try:
                    if not is_true(when, ctx):
                        actions.append(Action("skip", row.id, reason=f"condition false: {when}"))
                        continue
                except ExpressionError as exc:
                    actions.append(Action("skip", row.id, reason=f"condition error: {exc}"))
                    continue
            if row.parent:
                running_per_parent[row.parent] = running_per_parent.get(row.parent, 0) + 1
            actions.append(Action("claim", row.id))
        elif row.status == WAITING:
            kids = children.get(row.step_id, [])
            if row.type in PARENT_TYPES and kids and all(k.status in TERMINAL for k in kids):
                kind = "synthesize" if row.type == "coordinator" else "finalize"
                actions.append(Action(kind, row.id, children=[k.id for k in kids]))
            elif row.type == "wait" and row.resume_at and row.resume_at <= now:
                actions.append(Action("resume", row.id))

    if any(a.kind in ("skip", "resume", "finalize") for a in actions):
        return actions  # state changes first; the next pass sees their consequences
    top = [r for r in rows if not r.parent]
    if rows and all(r.status in TERMINAL for r in rows) and top:
        return [Action("finish")]
    claimed = any(a.kind in ("claim", "synthesize") for a in actions)
    busy = claimed or any(r.status == RUNNING for r in rows)  # blocked pending steps don't count
    # Waiting on the outside world: a person (approvals, inputs, escalations), a timer or an
    # event. Coordinators and parallel steps waiting for their own children don't count.
    external = any(
        r.status == WAITING and (r.type not in PARENT_TYPES or r.awaits_person) for r in rows
    )
    if not busy and external:
        actions.append(Action("mark_waiting"))
    elif claimed:
        actions.append(Action("mark_running"))
    return actions


def _pending_decision(row: RowView, by_id: dict[str, RowView], now: datetime) -> str | None:
    """'ready', a skip reason, or None (not yet)."""
    if row.resume_at and row.resume_at > now:
        return None
    deps = [by_id.get(d) for d in row.depends_on]
    if any(d is None for d in deps):
        missing = [name for name, d in zip(row.depends_on, deps, strict=True) if d is None]
        return f"unknown dependency: {', '.join(missing)}"
    if row.spec.get("after_any"):
        return "ready" if all(d.status in TERMINAL for d in deps) else None
    if any(d.status in (FAILED, CANCELLED) for d in deps):
        bad = [d.step_id for d in deps if d.status in (FAILED, CANCELLED)]
        return f"upstream failed: {', '.join(bad)}"
    if not all(d.status in (SUCCEEDED, SKIPPED) for d in deps):
        return None
    if deps and all(d.status == SKIPPED for d in deps):
        return "upstream skipped"
    return "ready"


def _concurrency_limit(row: RowView, by_id: dict[str, RowView]) -> int | None:
    if not row.parent:
        return None
    parent = by_id.get(row.parent)
    if parent is None:
        return None
    return parent.spec.get("concurrency")
