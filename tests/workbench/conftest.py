"""Fixtures for the agent workbench: a signed-in admin and a small registry whose two
support agents overlap on purpose."""

import pytest
from django.contrib.auth.models import User

from canvas.models import Agent


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", "root-pass-123")


@pytest.fixture
def admin_client(client, root):
    client.login(username="root", password="root-pass-123")
    return client


@pytest.fixture
def registry(db):
    """Four agents; billing and refunds share 'invoices', 'payments' and 'customers'."""
    specs = [
        (
            "billing",
            "Billing",
            "Finds invoices and payments for customers and explains charges on a bill. "
            "Not for refunds.",
        ),
        (
            "refunds",
            "Refunds",
            "Handles refunds of invoices and payments for customers who were charged twice.",
        ),
        (
            "weather",
            "Weather",
            "Weather forecasts for a city: temperature, rain, wind and storm warnings for the "
            "next ten days. Does not cover air quality.",
        ),
        (
            "handbook",
            "Handbook",
            "Answers questions from the company handbook and wiki pages: how-to guides and "
            "internal processes. Not for payroll.",
        ),
    ]
    return {
        slug: Agent.objects.create(slug=slug, name=name, description=description)
        for slug, name, description in specs
    }
