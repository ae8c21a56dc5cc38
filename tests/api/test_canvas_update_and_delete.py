"""Changing a canvas's details (never its graph) and deleting it (owner only)."""

from canvas.models import Canvas, CanvasVersion
from tests.api import counts, fields, url
from tests.canvas.graph_factory import simple_graph


def test_the_owner_renames_and_describes_a_canvas(api_alice, canvas):
    response = api_alice.patch(
        url(canvas), {"name": "Renamed", "description": "Now with text"}, format="json"
    )
    assert response.status_code == 200
    canvas.refresh_from_db()
    assert (canvas.name, canvas.description, canvas.slug) == (
        "Renamed",
        "Now with text",
        "document-processing",
    )
    assert response.json()["graph"] == simple_graph()


def test_an_update_cannot_change_the_graph(api_alice, canvas):
    before = counts()
    response = api_alice.patch(url(canvas), {"graph": {"nodes": [], "edges": []}}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"graph"}
    assert counts() == before
    assert api_alice.get(url(canvas)).json()["graph"] == simple_graph()


def test_a_team_member_edits_details_but_not_the_team(api_bob, team_canvas):
    assert api_bob.patch(url(team_canvas), {"name": "Bob's name"}, format="json").status_code == 200
    response = api_bob.patch(url(team_canvas), {"team": None}, format="json")
    assert response.status_code == 403
    team_canvas.refresh_from_db()
    assert team_canvas.team is not None


def test_the_owner_shares_and_unshares_with_a_team(api_alice, canvas, team):
    assert api_alice.patch(url(canvas), {"team": team.pk}, format="json").json()["team"] == team.pk
    assert api_alice.patch(url(canvas), {"team": None}, format="json").json()["team"] is None


def test_only_the_owner_deletes_a_canvas(api_alice, api_bob, team_canvas):
    before = counts()
    assert api_bob.delete(url(team_canvas)).status_code == 403
    assert counts() == before
    assert api_alice.delete(url(team_canvas)).status_code == 204
    assert not Canvas.objects.exists()
    assert not CanvasVersion.objects.exists()


def test_an_update_never_rolls_back_a_version_saved_meanwhile(
    api_alice, alice, canvas, monkeypatch
):
    from canvas import services
    from canvas.api.views import CanvasViewSet

    original = CanvasViewSet.get_object

    def get_object_then_someone_saves(self):
        stale = original(self)
        services.save_version(Canvas.objects.get(pk=stale.pk), simple_graph(), alice, "meanwhile")
        return stale

    monkeypatch.setattr(CanvasViewSet, "get_object", get_object_then_someone_saves)
    response = api_alice.patch(url(canvas), {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2
    canvas.refresh_from_db()
    assert (canvas.name, canvas.latest_version) == ("Renamed", 2)
