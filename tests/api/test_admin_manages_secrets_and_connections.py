"""Staff create Secrets and Connections in the admin: a stored value is encrypted at rest
and never shown again; an environment-variable secret names the variable staff chose."""

import pytest
from django.contrib.auth.models import User

from canvas.models import Connection, Secret
from coordinator.credentials import secret_value


@pytest.fixture
def admin_client(client, db, settings):
    settings.BATON_SECRETS_KEY = "test-secrets-key-0123456789"
    User.objects.create_superuser("root", "root@example.com", "root-pass-123")
    client.login(username="root", password="root-pass-123")
    return client


def add_secret(admin_client, **fields):
    body = {"name": "crm-token", "description": "", "source": "stored", "allowed_hosts": "[]"}
    return admin_client.post("/admin/canvas/secret/add/", {**body, **fields})


def test_a_stored_secret_is_encrypted_and_never_shown_again(admin_client):
    response = add_secret(admin_client, value="tok-very-secret-1", all_teams="on")
    assert response.status_code == 302, response.content[:2000]
    secret = Secret.objects.get(name="crm-token")
    assert "tok-very-secret-1" not in secret.encrypted_value
    assert secret_value(secret) == "tok-very-secret-1"
    page = admin_client.get(f"/admin/canvas/secret/{secret.pk}/change/")
    assert b"tok-very-secret-1" not in page.content
    assert secret.encrypted_value.encode() not in page.content


def test_a_stored_secret_needs_a_value(admin_client):
    response = add_secret(admin_client)
    assert response.status_code == 200
    assert b"type the value to store" in response.content
    assert not Secret.objects.exists()


def test_an_environment_secret_needs_the_variable_name(admin_client):
    response = add_secret(admin_client, source="env")
    assert response.status_code == 200
    assert not Secret.objects.exists()


def test_a_connection_lists_models_and_an_address(admin_client):
    secret = Secret.objects.create(name="openai-key", env_var="OPENAI_API_KEY")
    response = admin_client.post(
        "/admin/canvas/connection/add/",
        {
            "name": "openai",
            "description": "",
            "model_patterns": '["openai/*"]',
            "api_base": "https://api.openai.com/v1",
            "secret": secret.pk,
            "all_teams": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Connection.objects.get().serves("openai/gpt-4o-mini")
    assert not Connection.objects.get().serves("anthropic/claude")
