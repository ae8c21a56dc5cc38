"""Token and session authentication; session writes need the CSRF token."""

from rest_framework.test import APIClient

from canvas.models import Canvas


def test_a_token_from_auth_token_authenticates_requests(alice):
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "alice", "password": "alice-pass-123"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/canvases/").status_code == 200
    assert client.post("/api/canvases/", {"name": "By token"}, format="json").status_code == 201


def test_a_wrong_token_is_a_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/canvases/").status_code == 401


def test_a_session_write_without_the_csrf_token_is_a_403(alice):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password="alice-pass-123")
    assert client.get("/api/canvases/").status_code == 200  # reads need no token
    response = client.post("/api/canvases/", {"name": "Forged"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Canvas.objects.exists()


def test_a_session_write_with_the_csrf_token_succeeds(alice):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password="alice-pass-123")
    page = client.get("/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/api/canvases/", {"name": "Real"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201
