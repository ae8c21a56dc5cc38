"""The run page (/runs/<id>/) mounts the React app for runs the user can see, and only those."""

import json

import pytest
from django.test import Client

from canvas.models import Canvas
from coordinator.models import Run


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run(alice):
    canvas = Canvas.objects.create(name="Docs assistant", slug="docs-assistant", owner=alice)
    return Run.objects.create(canvas=canvas, plan={"steps": []}, created_by=alice, query="hi")


def browser_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_props(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="page-props" type="application/json">') + len(
        '<script id="page-props" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_it_shows_the_owner_the_run_page(alice, run):
    response = browser_for(alice).get(f"/runs/{run.pk}/")

    assert response.status_code == 200
    assert 'data-page="run"' in response.content.decode()
    assert page_props(response) == {
        "runId": str(run.pk),
        "canvasId": str(run.canvas_id),
        "canvasName": "Docs assistant",
    }


def test_it_shows_a_team_member_a_run_of_a_shared_canvas(alice, bob, team, run):
    Canvas.objects.filter(pk=run.canvas_id).update(team=team)

    assert browser_for(bob).get(f"/runs/{run.pk}/").status_code == 200


def test_it_answers_404_to_a_user_who_cannot_see_the_canvas(charlie, run):
    assert browser_for(charlie).get(f"/runs/{run.pk}/").status_code == 404


def test_it_answers_404_for_a_run_that_does_not_exist(alice, db):
    response = browser_for(alice).get("/runs/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_the_login_page(run):
    response = browser_for(None).get(f"/runs/{run.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/runs/{run.pk}/"
