"""The Django admin lists triggers, refuses a bad cron, and shows a new webhook's secret once."""

import pytest
from django.test import Client

from tests.triggers.helpers import echo_canvas
from triggers.models import Trigger

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db, settings):
    from django.contrib.auth.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin = User.objects.create_superuser("root", "root@example.com", "pw")
    client = Client()
    client.force_login(admin)
    return client, admin


def form(canvas, owner, **fields):
    return {
        "canvas": str(canvas.pk),
        "name": "t",
        "owner": owner.pk,
        "timezone": "UTC",
        "catch_up": "on",
        "input": "{}",
        "secrets-TOTAL_FORMS": "0",
        "secrets-INITIAL_FORMS": "0",
        **fields,
    }


def test_a_bad_cron_is_refused_and_a_webhook_secret_is_shown_once(admin_client):
    client, admin = admin_client
    canvas = echo_canvas(admin, "admin-canvas")

    bad = client.post(
        "/admin/triggers/trigger/add/", form(canvas, admin, kind="schedule", cron="every day")
    )
    assert bad.status_code == 200 and "has 2 fields" in bad.content.decode()
    assert Trigger.objects.count() == 0

    made = client.post(
        "/admin/triggers/trigger/add/", form(canvas, admin, kind="webhook"), follow=True
    )
    assert made.status_code == 200
    trigger = Trigger.objects.get()
    assert trigger.secrets.get().secret in made.content.decode()
    assert "triggers" in client.get("/admin/").content.decode().lower()
