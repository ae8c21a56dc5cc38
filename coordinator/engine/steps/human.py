"""human_approval and human_input: the step waits; recording turns the Waiting outcome's
`approval` into an inbox item (store.request_approval) and a decision completes the step."""

from __future__ import annotations

from datetime import timedelta

from coordinator import clock
from coordinator.engine.core.outcomes import Failed, Outcome, Waiting
from coordinator.engine.steps.common import context_for
from coordinator.engine.store import resolve_assignee
from coordinator.expressions import render
from coordinator.models import Run, StepRun


def execute_human(row: StepRun, run: Run) -> Outcome:
    spec = row.spec
    ctx = context_for(run)
    assignee = render(spec.get("assignee") or "", ctx)
    user, group, error = resolve_assignee(str(assignee) if assignee else "")
    if error:
        return Failed(error=f"assignee: {error}", retryable=False)
    kind = "approval" if row.type == "human_approval" else "input"
    required = int(spec.get("required_approvals") or 1) if kind == "approval" else 1
    if required > 1:
        if group is None:
            return Failed(
                error=f"required_approvals: {required} approvals need a group:NAME assignee",
                retryable=False,
            )
        members = group.user_set.filter(is_active=True).count()
        if members < required:
            return Failed(
                error=f"required_approvals: group {group.name} has {members} active "
                f"member(s), fewer than the {required} approvals needed",
                retryable=False,
            )
    timeout = spec.get("approval_timeout_seconds") or spec.get("input_timeout_seconds")
    due = clock.now() + timedelta(seconds=timeout) if timeout else None
    return Waiting(
        resume_at=None,
        approval={
            "kind": kind,
            "prompt": str(render(spec.get("prompt") or "", ctx)),
            "form": spec.get("form") if kind == "input" else None,
            "assignee_user": user,
            "assignee_group": group,
            "required_approvals": required,
            "default_action": spec.get("default_action", "fail"),
            "due_at": due,
        },
    )
