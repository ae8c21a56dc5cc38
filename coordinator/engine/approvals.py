"""The inbox: who may see and decide an item, claims, reassignment, and what a decision does
to the run. Every change locks the item, checks, records a history entry and emits a run
event (the run's timeline and the inbox socket both read those)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from canvas.models import Agent, Canvas
from coordinator import clock, notify
from coordinator.engine.core.outcomes import Failed, Succeeded
from coordinator.engine.recording import complete_waiting
from coordinator.engine.steps.coordinator import run_reviewed_plan
from coordinator.engine.store import (
    add_entry,
    decision_event_type,
    emit_approval_event,
    intervene,
    resolve_assignee,
)
from coordinator.four_eyes import check_four_eyes
from coordinator.models import Approval, Run, StepRun, StepStatus
from coordinator.transport import dispatch
from coordinator.verdicts import (
    Conflict,
    DecisionError,
    NotAllowed,
    Verdict,
    normalise_action,
    verdict_for,
)

__all__ = [
    "Conflict",
    "DecisionError",
    "NotAllowed",
    "can_decide",
    "claim",
    "decide",
    "expire_due",
    "inbox_items",
    "reassign",
    "release",
    "resolve_assignee",
    "visible_approvals",
]


# ---------------------------------------------------------------------------- who sees what


def inbox_items(user):
    """Items for this user: assigned to them or their groups, or unassigned on canvases they
    can see. What the badge counts and what the inbox lists by default."""
    canvases = Canvas.objects.visible_to(user).values("pk")
    return Approval.objects.filter(
        Q(assignee_user=user)
        | Q(assignee_group__in=user.groups.all())
        | Q(assignee_user__isnull=True, assignee_group__isnull=True, run__canvas__in=canvases)
    ).distinct()


def visible_approvals(user):
    """Items a user may see and decide: their inbox; staff see and may decide every item."""
    if user.is_staff:
        return Approval.objects.all()
    return inbox_items(user)


def can_decide(approval: Approval, user) -> bool:
    return visible_approvals(user).filter(pk=approval.pk).exists()


def assignee_label(item: Approval) -> str | None:
    if item.assignee_user_id:
        return item.assignee_user.username
    if item.assignee_group_id:
        return f"group:{item.assignee_group.name}"
    return None


def active_claimer(item: Approval):
    """Who holds the item now; a claim past its time is no claim."""
    if item.claimed_by_id and item.claimed_until and item.claimed_until > clock.now():
        return item.claimed_by
    return None


# ---------------------------------------------------------------------------- claims


def _locked_open(approval: Approval) -> Approval:
    item = (
        Approval.objects.select_for_update(of=("self",))
        .select_related("step_run", "claimed_by", "assignee_user", "assignee_group")
        .get(pk=approval.pk)
    )
    if item.status != "pending":
        raise Conflict(f"already {item.status}")
    return item


def _refuse_if_claimed_by_other(item: Approval, user) -> None:
    holder = active_claimer(item)
    if holder is not None and holder.pk != user.pk:
        until = item.claimed_until.isoformat(timespec="minutes")
        raise Conflict(f"claimed by {holder.username} until {until}", holder.username)


def claim(approval: Approval, user) -> Approval:
    """Take the item for BATON_CLAIM_MINUTES so two reviewers do not work on it at once;
    claiming again extends your own claim."""
    with transaction.atomic():
        item = _locked_open(approval)
        _refuse_if_claimed_by_other(item, user)
        until = clock.now() + timedelta(minutes=settings.BATON_CLAIM_MINUTES)
        item.claimed_by, item.claimed_until = user, until
        item.save(update_fields=["claimed_by", "claimed_until"])
        add_entry(item, "claimed", user, data={"until": until.isoformat()})
        emit_approval_event(item, "approval.claimed", user, {"until": until.isoformat()})
    return item


def release(approval: Approval, user) -> Approval:
    with transaction.atomic():
        item = _locked_open(approval)
        holder = active_claimer(item)
        if holder is None:
            raise Conflict("not claimed")
        if holder.pk != user.pk and not user.is_staff:
            raise Conflict(
                f"claimed by {holder.username}; only they can release it", holder.username
            )
        item.claimed_by, item.claimed_until = None, None
        item.save(update_fields=["claimed_by", "claimed_until"])
        add_entry(item, "released", user)
        emit_approval_event(item, "approval.released", user)
    return item


def reassign(approval: Approval, user, to: str, comment: str = "") -> Approval:
    """Hand the item to another user or group:NAME; any claim ends."""
    new_user, new_group, error = resolve_assignee(to)
    if error or not (new_user or new_group):
        raise DecisionError(f"to: {error or 'name a user or group:NAME'}")
    with transaction.atomic():
        item = _locked_open(approval)
        _refuse_if_claimed_by_other(item, user)
        if item.required_approvals > 1 and new_group is None:
            raise DecisionError(
                f"to: this item needs {item.required_approvals} approvals; assign it to a group"
            )
        before = assignee_label(item)
        item.assignee_user, item.assignee_group = new_user, new_group
        item.claimed_by, item.claimed_until = None, None
        item.save(update_fields=["assignee_user", "assignee_group", "claimed_by", "claimed_until"])
        after = assignee_label(item)
        add_entry(item, "reassigned", user, comment, {"from": before, "to": after})
        emit_approval_event(
            item, "approval.reassigned", user, {"from": before, "to": after, "comment": comment}
        )
        notify.item_requested(item)
    return item


# ---------------------------------------------------------------------------- deciding


def check_may_decide(item: Approval, user) -> None:
    """Rules on who may decide, beyond seeing the item. A vote towards N approvals must come
    from a member of the assigned group."""
    group = item.assignee_group
    if item.required_approvals > 1 and group and not user.groups.filter(pk=group.pk).exists():
        raise NotAllowed(f"only members of group {group.name} can approve this item")


def decide(
    approval: Approval,
    user,
    *,
    action: str | None = None,
    approve: bool | None = None,
    response: dict | None = None,
    comment: str = "",
    edits: dict | None = None,
) -> Approval:
    """approve | reject (with a reason) | edit (approve with changes, kept as a diff) |
    respond (input items: the form; others: an instruction the run follows). Raises Conflict
    (409: decided, claimed by someone else), NotAllowed (403) or DecisionError (400).

    Order: lock the open item, refuse a foreign claim, check_may_decide (who may decide),
    validate the action (verdicts.py), count a vote, then close the item and resume the run."""
    self_approved = check_four_eyes(
        approval, user
    )  # before the transaction: its refusal is recorded
    action = normalise_action(approval.kind, action, approve, response)
    with transaction.atomic():
        item = _locked_open(approval)
        _refuse_if_claimed_by_other(item, user)
        check_may_decide(item, user)
        verdict = verdict_for(
            item,
            action,
            response=response,
            comment=comment,
            edits=edits,
            context=_verdict_context(item),
        )
        if action == "approve" and item.required_approvals > 1:
            count = _vote(item, user, comment)
            if count < item.required_approvals:
                return item
        _close(item, user, verdict, response=response, comment=comment, self_approved=self_approved)
        _carry_out(item, verdict, user)
    return item


def _vote(item: Approval, user, comment: str) -> int:
    """One approval towards N; the item stays pending until the Nth distinct one."""
    votes = item.entries.filter(action="approved")
    if votes.filter(actor=user).exists():
        raise Conflict(
            f"{user.username} already approved ({votes.count()} of {item.required_approvals})"
        )
    add_entry(item, "approved", user, comment, {"vote": True})
    count = votes.values("actor").distinct().count()
    if count < item.required_approvals:
        emit_approval_event(
            item,
            "approval.voted",
            user,
            {"count": count, "required": item.required_approvals, "comment": comment},
        )
    return count


def approvals_given(item: Approval) -> list[str]:
    return [
        e.actor.username
        for e in item.entries.filter(action="approved", data__vote=True).select_related("actor")
        if e.actor
    ]


def _close(
    item: Approval, user, verdict: Verdict, *, response, comment: str, self_approved: bool = False
) -> None:
    item.status = verdict.status
    item.decided_by = user
    item.decided_at = clock.now()
    item.response = response if item.kind == "input" else None
    item.comment = (comment or "").strip()
    item.edits = verdict.edits
    item.save(update_fields=["status", "decided_by", "decided_at", "response", "comment", "edits"])
    if not (verdict.action == "approve" and item.required_approvals > 1):
        entry = {"edit": "edited", "respond": "responded"}.get(verdict.action, verdict.status)
        if item.kind == "input" and verdict.action == "respond":
            entry = "answered"
        data = {"diff": verdict.diff} if verdict.diff else {}
        add_entry(item, entry, user, item.comment, data)
    _emit_decision(item, user, verdict, self_approved=self_approved)


def _emit_decision(
    item: Approval, user, verdict: Verdict | None, *, self_approved: bool = False
) -> None:
    data = {
        "self_approved": self_approved,
        "kind": item.kind,
        "status": item.status,
        "action": verdict.action if verdict else "timeout",
        "comment": item.comment,
    }
    if verdict and verdict.diff:
        data["diff"] = verdict.diff
    if item.required_approvals > 1:
        data["approvals"] = approvals_given(item)
    emit_approval_event(item, decision_event_type(item), user, data)


# ---------------------------------------------------------------------------- what a decision does


def _verdict_context(item: Approval) -> dict:
    row = item.step_run
    if item.kind == "approval":
        return {"outputs": reviewed_outputs(item)}
    if item.kind == "plan_review":
        return {"plan": (row.output or {}).get("plan") or {}, "agents": plan_agents(row)}
    if item.kind == "escalation":
        return {
            "step": row.spec,
            "agents": list(Agent.objects.filter(enabled=True).values_list("slug", flat=True)),
        }
    return {}


def reviewed_outputs(item: Approval) -> dict:
    """The outputs an approval gate reviews: those of the steps it depends on."""
    rows = StepRun.objects.filter(
        run_id=item.run_id,
        step_id__in=item.step_run.depends_on or [],
        superseded=False,
        status=StepStatus.SUCCEEDED,
    )
    return {r.step_id: r.output for r in rows}


def plan_agents(row: StepRun) -> list[str]:
    allowed = row.spec.get("agents") or []
    enabled = set(
        Agent.objects.filter(slug__in=allowed, enabled=True).values_list("slug", flat=True)
    )
    return [a for a in allowed if a in enabled]


def _carry_out(item: Approval, verdict: Verdict | None, user) -> None:
    if verdict and verdict.instruction:
        _instruct(item.run_id, verdict.instruction, user)
    if item.kind == "plan_review":
        _resume_plan_review(item)
    elif item.kind == "escalation":
        _resume_escalation(item)
    else:
        _resume_step(item)


def _instruct(run_id, text: str, user) -> None:
    """A response goes back to the run as an instruction for every later sub-agent call."""
    intervene(Run.objects.get(pk=run_id), text, user)


def _who(item: Approval) -> str:
    return item.decided_by.username if item.decided_by else "timeout"


def _refusal(item: Approval, noun: str) -> Failed:
    by = _who(item)
    if item.status == "expired":
        why = "no decision before the deadline"
    else:
        why = f"{noun} by {by}" + (f": {item.comment}" if item.comment else "")
    return Failed(
        error=why, output={"approved": False, "by": by, "decision": item.status}, retryable=False
    )


def _resume_step(item: Approval) -> None:
    row: StepRun = item.step_run
    by = _who(item)
    if item.status == "answered":
        outcome = Succeeded(output={"response": item.response, "by": by})
    elif item.status in ("approved", "responded"):
        output = {"approved": True, "by": by, "comment": item.comment}
        if item.status == "responded":
            output["response"] = item.comment
        if item.edits:
            _apply_output_edits(item)
            output["edited"] = sorted(item.edits)
        if item.required_approvals > 1:
            output["approvals"] = approvals_given(item)
        outcome = Succeeded(output=output)
    else:
        outcome = _refusal(item, "rejected")
    transaction.on_commit(lambda: complete_waiting(row, outcome))


def _apply_output_edits(item: Approval) -> None:
    """Approve with edits: the reviewed steps' outputs take the edited values, so every later
    step reads what the reviewer approved. The originals stay in the item's audit diff."""
    for step_id, fields in item.edits.items():
        row = StepRun.objects.select_for_update().get(
            run_id=item.run_id, step_id=step_id, superseded=False
        )
        row.output = {**row.output, **fields}
        row.save(update_fields=["output"])


def _resume_plan_review(item: Approval) -> None:
    """Approve runs the plan (as edited); reject ends the coordinator, and so the run."""
    row = StepRun.objects.select_for_update().get(pk=item.step_run_id)
    if item.status in ("approved", "responded"):
        plan = (item.edits or {}).get("plan") or row.output["plan"]
        run_reviewed_plan(row, plan, reviewed_by=_who(item), edited=bool(item.edits))
        dispatch.enqueue("advance", str(row.run_id))
        return
    outcome = _refusal(item, "plan rejected")
    outcome.output = {**(row.output or {}), "decision": item.status, "stage": "rejected"}
    transaction.on_commit(lambda: complete_waiting(row, outcome))


def _resume_escalation(item: Approval) -> None:
    """An adaptive run escalated to a person: retry the step (as edited), or abort it."""
    row = item.step_run
    if item.status in ("approved", "responded"):
        changes = {}
        if item.edits:
            spec = {**row.spec, **item.edits}
            changes = {"spec": spec, "agent": spec.get("agent", row.agent) or ""}
        StepRun.objects.filter(pk=row.pk, status=StepStatus.WAITING).update(
            status=StepStatus.PENDING, **changes
        )
        dispatch.enqueue("advance", str(row.run_id))
        return
    outcome = _refusal(item, "aborted")
    outcome.output = {"escalation": item.status, "by": _who(item)}  # final: no more revisions
    transaction.on_commit(lambda: complete_waiting(row, outcome))


# ---------------------------------------------------------------------------- deadlines


def expire_due(now) -> int:
    """Apply the default action to items past their deadline."""
    count = 0
    for approval in Approval.objects.filter(status="pending", due_at__lte=now):
        with transaction.atomic():
            try:
                item = _locked_open(approval)
            except Conflict:
                continue
            action = item.default_action
            item.status = {"approve": "approved", "reject": "rejected"}.get(action, "expired")
            item.decided_at = now
            item.comment = f"default action on timeout: {action}"
            item.save(update_fields=["status", "decided_at", "comment"])
            add_entry(item, "expired", None, item.comment, {"default_action": action})
            _emit_decision(item, None, None)
            _carry_out(item, None, None)
        count += 1
    return count
