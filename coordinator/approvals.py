"""Deciding gated steps: who may decide, what a decision does, what happens when one is due."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Q

from coordinator import clock, dispatch
from coordinator.events import emit
from coordinator.four_eyes import check_four_eyes
from coordinator.models import Approval, StepRun, StepStatus
from coordinator.outcomes import Failed, Succeeded


class DecisionError(ValueError):
    pass


def visible_approvals(user):
    """Approvals a user may see: assigned to them or their groups, or unassigned on canvases
    they can see."""
    from canvas.models import Canvas

    canvases = Canvas.objects.visible_to(user).values("pk")
    return Approval.objects.filter(
        Q(assignee_user=user)
        | Q(assignee_group__in=user.groups.all())
        | Q(assignee_user__isnull=True, assignee_group__isnull=True, run__canvas__in=canvases)
    ).distinct()


def can_decide(approval: Approval, user) -> bool:
    return visible_approvals(user).filter(pk=approval.pk).exists()


def resolve_assignee(text: str | None) -> tuple[User | None, Group | None, str | None]:
    """'alice' → user; 'group:reviewers' → group; empty → anyone with access. Third item: error."""
    text = (text or "").strip()
    if not text:
        return None, None, None
    if text.startswith("group:"):
        group = Group.objects.filter(name=text.removeprefix("group:")).first()
        return None, group, None if group else f"no group named {text.removeprefix('group:')!r}"
    user = User.objects.filter(username=text, is_active=True).first()
    return user, None, None if user else f"no active user named {text!r}"


def decide(
    approval: Approval,
    user,
    *,
    approve: bool | None = None,
    response: dict | None = None,
    comment: str = "",
) -> Approval:
    from coordinator.engine import complete_waiting

    self_approved = check_four_eyes(approval, user)
    if approval.kind == "input":
        if response is None:
            raise DecisionError("response: this step asks for a form; send `response`")
        _validate_form(approval.form or {}, response)
        status = "answered"
    else:
        if approve is None:
            raise DecisionError("approve: send true or false")
        status = "approved" if approve else "rejected"
    with transaction.atomic():
        won = Approval.objects.filter(pk=approval.pk, status="pending").update(
            status=status,
            decided_by=user,
            decided_at=clock.now(),
            response=response,
            comment=comment,
        )
        if not won:
            approval.refresh_from_db()
            raise DecisionError(f"already {approval.status}")
        approval.refresh_from_db()
        _emit_decision(approval, user, self_approved=self_approved)
        _resume_step(approval, complete_waiting)
    return approval


def _emit_decision(approval: Approval, user, *, self_approved: bool = False) -> None:
    row = approval.step_run
    kind = "input.received" if approval.kind == "input" else "approval.decided"
    emit(
        approval.run_id,
        kind,
        step=row.step_id,
        data={
            "approval": str(approval.pk),
            "status": approval.status,
            "by": getattr(user, "username", None),
            "comment": approval.comment,
            "self_approved": self_approved,
        },
    )


def _resume_step(approval: Approval, complete_waiting) -> None:
    row: StepRun = approval.step_run
    by = approval.decided_by.username if approval.decided_by else "timeout"
    if row.spec.get("escalation"):
        _resume_escalation(approval, row)
        return
    if approval.status == "answered":
        outcome = Succeeded(output={"response": approval.response, "by": by})
    elif approval.status == "approved":
        outcome = Succeeded(output={"approved": True, "by": by, "comment": approval.comment})
    else:
        why = f"rejected by {by}" + (f": {approval.comment}" if approval.comment else "")
        if approval.status == "expired":
            why = "no decision before the deadline"
        outcome = Failed(error=why, output={"approved": False, "by": by}, retryable=False)
    transaction.on_commit(lambda: complete_waiting(row, outcome))


def _resume_escalation(approval: Approval, row: StepRun) -> None:
    """An adaptive run escalated to a person: approve retries the step, reject fails it."""
    if approval.status == "approved":
        StepRun.objects.filter(pk=row.pk, status=StepStatus.WAITING).update(
            status=StepStatus.PENDING
        )
        dispatch.enqueue("advance", str(row.run_id))
    else:
        from coordinator.engine import complete_waiting

        outcome = Failed(
            error=f"escalation {approval.status}",
            output={"escalation": approval.status},  # a person's decision: final
            retryable=False,
        )
        transaction.on_commit(lambda: complete_waiting(row, outcome))


def expire_due(now) -> int:
    """Apply the default action to approvals past their deadline."""
    count = 0
    for approval in Approval.objects.filter(status="pending", due_at__lte=now).select_related(
        "step_run"
    ):
        action = approval.default_action
        status = {"approve": "approved", "reject": "rejected"}.get(action, "expired")
        from coordinator.engine import complete_waiting

        with transaction.atomic():
            if not Approval.objects.filter(pk=approval.pk, status="pending").update(
                status=status, decided_at=now, comment=f"default action on timeout: {action}"
            ):
                continue
            approval.refresh_from_db()
            _emit_decision(approval, None)
            _resume_step(approval, complete_waiting)
        count += 1
    return count


def _validate_form(schema: dict, response: dict) -> None:
    import jsonschema

    if not isinstance(response, dict):
        raise DecisionError("response: must be an object")
    try:
        jsonschema.validate(response, schema or {"type": "object"})
    except jsonschema.ValidationError as exc:
        path = ".".join(str(p) for p in exc.absolute_path)
        raise DecisionError(f"response{'.' + path if path else ''}: {exc.message}") from None
    except jsonschema.SchemaError as exc:
        raise DecisionError(f"the step's form schema is invalid: {exc.message}") from None
