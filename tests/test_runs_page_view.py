"""The runs page (/runs/) mounts the React app for a signed-in user; the list itself comes
from /api/runs/, which shows only visible runs."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_mounts_the_runs_page_for_a_signed_in_user(alice):
    client = Client()
    client.force_login(alice)
    response = client.get("/runs/")
    assert response.status_code == 200
    assert 'data-page="runs"' in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_the_login_page():
    response = Client().get("/runs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
