"""E-mail to whoever an inbox item waits for, through Django's e-mail backend (SMTP when
BATON_EMAIL_* is configured, the console otherwise). Sent by a task after the request
commits, so a slow mail server never holds up a run."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mass_mail

from coordinator.models import Approval
from coordinator.transport import dispatch

log = logging.getLogger(__name__)

KIND_NAMES = {
    "approval": "an approval",
    "input": "an answer",
    "plan_review": "a plan review",
    "escalation": "a decision on an escalation",
}


def item_requested(item: Approval) -> None:
    dispatch.enqueue("notify_item", str(item.pk))


def recipients(item: Approval) -> list[User]:
    """The assignee, the assigned group's members, or the canvas's owner and team."""
    if item.assignee_user_id:
        users = User.objects.filter(pk=item.assignee_user_id)
    elif item.assignee_group_id:
        users = User.objects.filter(groups=item.assignee_group_id)
    else:
        canvas = item.run.canvas
        users = User.objects.filter(pk=canvas.owner_id)
        if canvas.team_id:
            users = users | User.objects.filter(groups=canvas.team_id)
    return list(users.filter(is_active=True).exclude(email="").distinct().order_by("pk"))


def item_link(item: Approval) -> str:
    return f"{settings.BATON_BASE_URL}/inbox/?item={item.pk}"


def send_item_mail(approval_id: str) -> int:
    item = Approval.objects.select_related("run__canvas").filter(pk=approval_id).first()
    if item is None or item.status != "pending":
        return 0
    canvas = item.run.canvas.name
    subject = f"[Baton] {canvas}: waiting for {KIND_NAMES.get(item.kind, 'you')}"
    body = (
        f"A run of “{canvas}” is waiting for {KIND_NAMES.get(item.kind, 'you')}.\n\n"
        f"{item.prompt}\n\n"
        f"Open it in your inbox: {item_link(item)}\n"
    )
    if item.due_at:
        body += f"Due: {item.due_at.isoformat(timespec='minutes')} (then: {item.default_action})\n"
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in recipients(item)
    ]
    if not messages:
        return 0
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError as exc:  # a mail server being down must not fail anything else
        log.warning("inbox e-mail for %s not sent: %s", approval_id, exc)
        return 0
