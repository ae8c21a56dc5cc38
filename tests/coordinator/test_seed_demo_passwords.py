"""seed_demo passwords: from the environment, or generated and printed exactly once."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.seed_demo import PYTHON_AGENTS

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only: speed


@pytest.fixture(autouse=True)
def clean_env(settings, monkeypatch):
    settings.BATON_PYTHON_AGENTS = PYTHON_AGENTS
    settings.PASSWORD_HASHERS = FAST_HASHER
    monkeypatch.delenv("BATON_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("BATON_DEMO_PASSWORD", raising=False)


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\w+)\s+password: (\S+)", output, re.M))


def test_environment_passwords_are_honoured_and_never_printed(db, monkeypatch):
    monkeypatch.setenv("BATON_ADMIN_PASSWORD", "admin-secret-pass-1")
    monkeypatch.setenv("BATON_DEMO_PASSWORD", "demo-secret-pass-1")
    output = seed()
    assert User.objects.get(username="admin").check_password("admin-secret-pass-1")
    assert User.objects.get(username="designer").check_password("demo-secret-pass-1")
    assert User.objects.get(username="reviewer").check_password("demo-secret-pass-1")
    assert "secret-pass" not in output
    assert "password from BATON_ADMIN_PASSWORD" in output
    assert printed_passwords(output) == {}


def test_generated_passwords_are_printed_once_and_work(db):
    first = seed()
    passwords = printed_passwords(first)
    assert set(passwords) == {"admin", "designer", "reviewer"}
    assert len(set(passwords.values())) == 3
    for username, password in passwords.items():
        assert len(password) >= 16
        assert User.objects.get(username=username).check_password(password)

    second = seed()
    assert printed_passwords(second) == {}
    for username, password in passwords.items():
        assert password not in second
        assert User.objects.get(username=username).check_password(password)
    assert "password unchanged" in second


def test_an_environment_password_replaces_an_existing_one_on_a_later_run(db, monkeypatch):
    generated = printed_passwords(seed())
    monkeypatch.setenv("BATON_ADMIN_PASSWORD", "new-admin-pass-22")
    output = seed()
    admin = User.objects.get(username="admin")
    assert admin.check_password("new-admin-pass-22")
    assert "password set from BATON_ADMIN_PASSWORD" in output
    assert User.objects.get(username="designer").check_password(generated["designer"])

    hashed = admin.password
    seed()  # same variable again: nothing to change, the hash stays as it is
    admin.refresh_from_db()
    assert admin.password == hashed


def test_a_weak_environment_password_is_refused(db, monkeypatch):
    monkeypatch.setenv("BATON_DEMO_PASSWORD", "password")
    with pytest.raises(CommandError, match="BATON_DEMO_PASSWORD"):
        seed()
    assert not User.objects.exists()


def test_an_existing_admin_is_made_superuser_without_touching_the_password(db):
    User.objects.create_user("admin", password="kept-password-1")
    output = seed()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("kept-password-1")
    assert "admin" not in printed_passwords(output)
