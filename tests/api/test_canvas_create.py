"""Creating a canvas: a unique slug from the name, an optional team and an optional first graph."""

from canvas.models import Canvas, CanvasVersion
from tests.api import counts, fields
from tests.canvas.graph_factory import simple_graph


def test_it_creates_an_empty_canvas_owned_by_you(api_alice):
    response = api_alice.post("/api/canvases/", {"name": "My flow"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == "alice"
    assert body["slug"] == "my-flow"
    assert body["version"] is None
    assert body["graph"] == {"nodes": [], "edges": []}
    assert not CanvasVersion.objects.exists()


def test_a_graph_becomes_version_1(api_alice, agents):
    response = api_alice.post(
        "/api/canvases/", {"name": "Docs", "graph": simple_graph()}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert response.json()["graph"] == simple_graph()
    version = CanvasVersion.objects.get()
    assert (version.number, version.message, version.author.username) == (1, "Created", "alice")
    assert Canvas.objects.get().latest_version == 1


def test_generated_slugs_are_unique(api_alice):
    slugs = [
        api_alice.post("/api/canvases/", {"name": "Same name"}, format="json").json()["slug"]
        for _ in range(3)
    ]
    assert slugs == ["same-name", "same-name-2", "same-name-3"]


def test_a_name_without_latin_letters_still_gets_a_slug(api_alice):
    response = api_alice.post("/api/canvases/", {"name": "日本語"}, format="json")
    assert response.json()["slug"] == "canvas"


def test_an_explicit_slug_must_be_valid_and_free(api_alice):
    assert (
        api_alice.post("/api/canvases/", {"name": "A", "slug": "mine"}, format="json").status_code
        == 201
    )
    before = counts()
    assert fields(
        api_alice.post("/api/canvases/", {"name": "B", "slug": "mine"}, format="json")
    ) == {"slug"}
    assert fields(
        api_alice.post("/api/canvases/", {"name": "B", "slug": "Bad Slug"}, format="json")
    ) == {"slug"}
    assert counts() == before


def test_the_team_must_be_one_of_your_groups(api_alice, api_charlie, team):
    response = api_alice.post("/api/canvases/", {"name": "Shared", "team": team.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["team"] == team.pk

    before = counts()
    response = api_charlie.post(
        "/api/canvases/", {"name": "Intruder", "team": team.pk}, format="json"
    )
    assert response.status_code == 400
    assert fields(response) == {"team"}
    assert counts() == before


def test_a_malformed_first_graph_creates_nothing(api_alice):
    before = counts()
    response = api_alice.post(
        "/api/canvases/", {"name": "X", "graph": {"nodes": "n"}}, format="json"
    )
    assert response.status_code == 400
    assert fields(response) == {"graph.nodes", "graph.edges"}
    assert counts() == before


def test_the_list_shows_your_canvases_and_your_teams(api_bob, api_charlie, canvas, team_canvas):
    listed = api_bob.get("/api/canvases/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == str(team_canvas.pk)
    assert "graph" not in listed["results"][0]
    assert api_charlie.get("/api/canvases/").json()["count"] == 0


def test_the_list_can_be_searched(api_alice, canvas, team_canvas):
    results = api_alice.get("/api/canvases/?search=document").json()["results"]
    assert [c["slug"] for c in results] == [canvas.slug]
