"""Item 4a: the login page, the API token endpoint and the admin login lock a user name (and
an address) out after BATON_LOGIN_FAILURE_LIMIT failures — even the right password is then
refused with 429 and Retry-After until the cool-off passes (django-axes)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3


def token(client, password, user="alice", **extra):
    return client.post(
        "/api/auth/token/", {"username": user, "password": password}, format="json", **extra
    )


def test_the_token_endpoint_locks_the_user_out_after_the_limit(alice):
    client = APIClient()
    for _ in range(3):
        assert token(client, WRONG).status_code == 400
    refused = token(client, "alice-pass-123")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in refused.json()["detail"]


def test_the_lock_follows_the_user_name_from_another_address(alice):
    for _ in range(3):
        token(APIClient(), WRONG, REMOTE_ADDR="10.0.0.1")
    assert token(APIClient(), "alice-pass-123", REMOTE_ADDR="10.0.0.2").status_code == 429


def test_the_lock_follows_the_address_for_other_users(alice, bob):
    for _ in range(3):
        token(APIClient(), WRONG, user="alice", REMOTE_ADDR="10.0.0.3")
    assert token(APIClient(), "bob-pass-123", user="bob", REMOTE_ADDR="10.0.0.3").status_code == 429
    assert token(APIClient(), "bob-pass-123", user="bob", REMOTE_ADDR="10.0.0.4").status_code == 200


def test_the_login_page_locks_out_and_says_why(alice):
    client = Client()
    for _ in range(2):
        assert client.post("/login/", {"username": "alice", "password": WRONG}).status_code == 200
    assert client.post("/login/", {"username": "alice", "password": WRONG}).status_code == 429
    page = client.post("/login/", {"username": "alice", "password": "alice-pass-123"})
    assert page.status_code == 429
    assert int(page["Retry-After"]) > 0
    assert b"Too many failed sign-in attempts" in page.content
    assert "_auth_user_id" not in client.session


def test_the_admin_login_locks_out(db):
    User.objects.create_superuser("root", "root@example.com", "root-pass-123")
    client = Client()
    for _ in range(3):
        client.post("/admin/login/", {"username": "root", "password": WRONG})
    page = client.post("/admin/login/", {"username": "root", "password": "root-pass-123"})
    assert page.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_sign_in_before_the_limit_clears_the_count(alice):
    client = Client()
    for _ in range(2):
        client.post("/login/", {"username": "alice", "password": WRONG})
    assert (
        client.post("/login/", {"username": "alice", "password": "alice-pass-123"}).status_code
        == 302
    )
    client.post("/logout/")
    for _ in range(2):
        client.post("/login/", {"username": "alice", "password": WRONG})
    assert (
        client.post("/login/", {"username": "alice", "password": "alice-pass-123"}).status_code
        == 302
    )
