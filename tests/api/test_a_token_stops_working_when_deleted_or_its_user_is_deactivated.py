"""API tokens (coordinator/api/authentication.py) authenticate their own user and no one
else, and stop at once when the token is deleted or its user deactivated: each request
reads both afresh (nothing about the user is cached between requests)."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from canvas.models import Canvas


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_authenticates_its_own_user(alice, bob):
    token = Token.objects.create(user=bob)
    response = client_with(token.key).post("/api/canvases/", {"name": "Bob's"}, format="json")
    assert response.status_code == 201, response.content
    assert Canvas.objects.get(pk=response.json()["id"]).owner == bob


def test_a_deleted_token_is_a_401_on_the_next_request(alice):
    token = Token.objects.create(user=alice)
    client = client_with(token.key)
    assert client.get("/api/canvases/").status_code == 200
    token.delete()
    response = client.get("/api/canvases/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_a_deactivated_users_token_is_a_401_on_the_next_request(alice):
    token = Token.objects.create(user=alice)
    client = client_with(token.key)
    assert client.get("/api/canvases/").status_code == 200
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = client.get("/api/canvases/")
    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."


def test_a_key_with_quotes_or_wildcards_matches_no_token(alice):
    Token.objects.create(user=alice)
    for key in ("' OR '1'='1", "%", "_" * 40):
        assert client_with(key).get("/api/canvases/").status_code == 401
