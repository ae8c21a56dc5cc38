"""Four eyes: the person who started a run does not decide its approvals.

One small rule, called from the decision path (`approvals.decide`). A plan opts out per
step with `allow_self_approval: true`; either way the audit trail says what happened.
"""

from __future__ import annotations

from coordinator.engine.store import emit_approval_event
from coordinator.verdicts import NotAllowed


class SelfApprovalRefused(NotAllowed):
    """The run's starter tried to decide its own approval."""


def is_starter(approval, user) -> bool:
    starter = approval.run.created_by_id
    return starter is not None and user is not None and starter == user.pk


def check_four_eyes(approval, user) -> bool:
    """True when `user` decides their own run's approval under allow_self_approval; raises
    SelfApprovalRefused (after recording the attempt) when the step does not allow it."""
    # Gates (approvals, plan reviews). An input form is the starter's own answer, and an
    # escalation's retry/edit/abort is what the starter could do by re-running anyway.
    if approval.kind in ("input", "escalation") or not is_starter(approval, user):
        return False
    if approval.step_run.spec.get("allow_self_approval"):
        return True
    emit_approval_event(
        approval,
        "approval.refused",
        user,
        {"reason": "four eyes: the run's starter may not decide its approvals"},
    )
    raise SelfApprovalRefused(
        "You started this run, so someone else must decide its approvals (four eyes). "
        "A plan can allow it on this step with allow_self_approval: true."
    )
