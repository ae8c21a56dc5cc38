"""A new inbox item is e-mailed (Django's e-mail backend; locmem in tests) to the assignee, or
to every member of the assigned group, with a link to the item."""

import pytest
from django.core import mail

from tests.engine_helpers import embedded_only, wait_until
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


@embedded_only  # in distributed mode a worker process sends it, into its own outbox
def test_the_assignee_gets_a_mail_with_a_link_to_the_item(alice, bob, engine_settings, settings):
    settings.BATON_BASE_URL = "https://baton.example.com"
    mail.outbox.clear()
    run, item = waiting_item(alice, gate("bob"))

    wait_until(lambda: len(mail.outbox) == 1, what="one e-mail")
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"]
    assert message.subject == f"[Baton] {run.canvas.name}: waiting for an approval"
    assert f"https://baton.example.com/inbox/?item={item.pk}" in message.body
    assert "Publish the draft?" in message.body


@embedded_only
def test_every_group_member_with_an_address_is_told(alice, bob, charlie, team, engine_settings):
    charlie.groups.add(team)
    charlie.email = ""
    charlie.save()
    mail.outbox.clear()
    waiting_item(alice, gate("group:research"))

    wait_until(lambda: len(mail.outbox) == 2, what="two e-mails")
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]


def test_the_console_backend_is_the_default_without_email_settings():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_EMAIL")}
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    code = "import django;django.setup();from django.conf import settings;print(settings.EMAIL_BACKEND)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "coordinator.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "django.core.mail.backends.console.EmailBackend"
    smtp = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "coordinator.settings",
            "BATON_EMAIL_HOST": "127.0.0.1",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert smtp == "django.core.mail.backends.smtp.EmailBackend"


@embedded_only
def test_a_reassigned_item_is_mailed_to_its_new_assignee(
    alice, bob, charlie, api_bob, engine_settings
):
    _, item = waiting_item(alice, gate("bob"))
    wait_until(lambda: len(mail.outbox) >= 1, what="the first e-mail")
    mail.outbox.clear()
    api_bob.post(f"/api/approvals/{item.pk}/reassign/", {"to": "charlie"}, format="json")
    wait_until(lambda: len(mail.outbox) == 1, what="the e-mail to charlie")
    assert mail.outbox[0].to == ["charlie@example.com"]
