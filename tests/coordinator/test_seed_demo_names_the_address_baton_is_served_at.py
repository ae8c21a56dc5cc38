"""seed_demo tells the user where to open Baton: the address `make run` serves on."""

from io import StringIO

from django.core.management import call_command

from demo.management.commands.seed_demo import PYTHON_AGENTS


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_names_the_address_it_is_given_and_the_default_otherwise(db, settings, monkeypatch):
    settings.BATON_PYTHON_AGENTS = PYTHON_AGENTS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("BATON_ADMIN_PASSWORD", "admin-secret-pass-1")
    monkeypatch.setenv("BATON_DEMO_PASSWORD", "demo-secret-pass-1")

    assert "Open http://127.0.0.1:8011/ and log in" in seed("--url", "http://127.0.0.1:8011/")
    assert "Open http://127.0.0.1:8000/ and log in" in seed()
