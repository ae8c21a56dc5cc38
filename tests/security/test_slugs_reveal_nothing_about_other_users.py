"""Canvas and agent slugs are unique per owner, so choosing one never tells a user that
someone else already has it; only your own duplicates are refused."""

import pytest

from canvas import services
from canvas.models import Agent, Canvas

pytestmark = pytest.mark.django_db


def test_a_canvas_slug_another_user_has_is_simply_yours_too(api_charlie, alice):
    services.create_canvas(owner=alice, name="Docs assistant", slug="docs-assistant")
    response = api_charlie.post(
        "/api/canvases/", {"name": "Mine", "slug": "docs-assistant"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Canvas.objects.filter(slug="docs-assistant").count() == 2


def test_your_own_duplicate_canvas_slug_is_refused(api_alice, alice):
    services.create_canvas(owner=alice, name="Docs assistant", slug="docs-assistant")
    response = api_alice.post(
        "/api/canvases/", {"name": "Again", "slug": "docs-assistant"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "slug", "message": "You already have a canvas with this slug."}
    ]


def test_a_generated_slug_ignores_other_users_canvases(api_charlie, alice):
    services.create_canvas(owner=alice, name="Docs assistant")
    response = api_charlie.post("/api/canvases/", {"name": "Docs assistant"}, format="json")
    assert response.json()["slug"] == "docs-assistant"


def body(slug):
    return {"slug": slug, "name": "R", "description": "Researches."}


def test_an_agent_slug_another_user_has_is_simply_yours_too(api_charlie, api_alice):
    assert api_alice.post("/api/agents/", body("researcher"), format="json").status_code == 201
    assert api_charlie.post("/api/agents/", body("researcher"), format="json").status_code == 201
    assert api_alice.post("/api/agents/", body("researcher"), format="json").json()["errors"] == [
        {"field": "slug", "message": "You already have an agent with this slug."}
    ]
    assert Agent.objects.filter(slug="researcher").count() == 2
    # each sees and edits their own under the same address
    assert api_charlie.get("/api/agents/researcher/").json()["owner"] == "charlie"
    assert api_alice.get("/api/agents/researcher/").json()["owner"] == "alice"
