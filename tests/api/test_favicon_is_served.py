"""/favicon.ico, which every browser asks for, is an icon and not a 404."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_favicon_is_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert b"\x89PNG" in body  # holding one PNG image


def test_pages_link_it(client):
    assert 'rel="icon" href="/static/favicon.ico"' in client.get("/login/").content.decode()
