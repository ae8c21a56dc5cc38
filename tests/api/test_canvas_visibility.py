"""A canvas is visible to its owner and its team; to anyone else it does not exist (404)."""

import pytest

from tests.api import api_urls, counts, url
from tests.canvas.graph_factory import simple_graph

METHODS = ["get", "post", "put", "patch", "delete"]
PLAN_YAML = "name: p\nsteps:\n  - id: a\n    type: agent\n    agent: summarizer\n"


def canvas_urls(canvas) -> list[str]:
    """Every URL under /api/canvases/<id>/ (from the resolver), pointed at `canvas`."""
    sample = api_urls()
    found = set()
    for u in sample:
        parts = u.split("/")
        if u.startswith("/api/canvases/") and len(parts) > 4 and len(parts[3]) == 36:
            parts[3] = str(canvas.pk)
            found.add("/".join(parts))
    return sorted(found)


def test_a_stranger_gets_404_on_every_canvas_endpoint(api_charlie, canvas):
    urls = canvas_urls(canvas)
    assert len(urls) >= 7
    before = counts()
    bodies = {
        "post": {"graph": simple_graph(), "message": "mine", "yaml": PLAN_YAML},
        "put": {"name": "taken"},
        "patch": {"name": "taken"},
    }
    for path in urls:
        statuses = {}
        for method in METHODS:
            response = getattr(api_charlie, method)(path, bodies.get(method, {}), format="json")
            statuses[method] = response.status_code
            assert response.status_code in (404, 405), (method, path, response.status_code)
        assert 404 in statuses.values(), (path, statuses)
    assert counts() == before
    canvas.refresh_from_db()
    assert canvas.name == "Document processing"


def test_a_stranger_gets_404_for_an_export_in_any_format(api_charlie, canvas):
    for fmt in ("yaml", "json", "graph"):
        response = api_charlie.get(url(canvas, f"export/?format={fmt}"))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "suffix", ["", "versions/", "versions/1/", "export/", "export/?format=graph"]
)
def test_a_team_member_reads_a_team_canvas(api_bob, team_canvas, suffix):
    assert api_bob.get(url(team_canvas, suffix)).status_code == 200


def test_a_team_member_saves_validates_and_restores_a_team_canvas(api_bob, team_canvas):
    response = api_bob.post(
        url(team_canvas, "versions/"), {"graph": simple_graph(), "message": "bob"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["author"] == "bob"
    assert api_bob.post(url(team_canvas, "validate/"), {}, format="json").status_code == 200
    assert api_bob.post(url(team_canvas, "versions/1/restore/")).status_code == 201


def test_a_team_member_cannot_delete_a_team_canvas(api_bob, team_canvas):
    before = counts()
    response = api_bob.delete(url(team_canvas))
    assert response.status_code == 403
    assert counts() == before


def test_leaving_the_team_hides_the_canvas(api_bob, bob, team, team_canvas):
    bob.groups.remove(team)
    assert api_bob.get(url(team_canvas)).status_code == 404
