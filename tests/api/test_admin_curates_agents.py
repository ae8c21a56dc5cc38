"""The admin: agents are searched, filtered and validated; canvas versions are read-only."""

import pytest
from django.contrib.auth.models import User

from canvas.models import Agent


@pytest.fixture
def admin_client(client, db):
    User.objects.create_superuser("root", "root@example.com", "root-pass-123")
    client.login(username="root", password="root-pass-123")
    return client


def test_the_agent_list_searches_and_filters(admin_client, agents):
    response = admin_client.get("/admin/canvas/agent/?q=scanned&kind__exact=llm")
    assert response.status_code == 200
    assert b"document-ocr" in response.content
    assert b"summarizer" not in response.content.split(b"result_list")[-1]


def test_the_description_is_a_large_textarea(admin_client, agents):
    response = admin_client.get(f"/admin/canvas/agent/{agents[0].pk}/change/")
    assert response.status_code == 200
    assert b'<textarea name="description" cols="100" rows="14"' in response.content


def test_an_invalid_kind_config_is_refused_by_model_clean(admin_client, db):
    response = admin_client.post(
        "/admin/canvas/agent/add/",
        {
            "slug": "web",
            "name": "Web",
            "description": "Fetches pages.",
            "capabilities": "[]",
            "enabled": "on",
            "kind": "http",
            "kind_config": '{"url": "nope"}',
            "priority": "0",
            "max_concurrency": "4",
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert b"kind_config.url" in response.content
    assert not Agent.objects.exists()


def test_a_canvas_shows_its_versions_read_only(admin_client, canvas):
    response = admin_client.get(f"/admin/canvas/canvas/{canvas.pk}/change/")
    assert response.status_code == 200
    assert b"Created" in response.content
    assert b'name="versions-0-message"' not in response.content
    version = canvas.versions.get()
    page = admin_client.get(f"/admin/canvas/canvasversion/{version.pk}/change/")
    assert page.status_code == 200
    assert b"&quot;document-ocr&quot;" in page.content
    assert b'name="_save"' not in page.content


def test_deleting_a_canvas_in_the_admin_deletes_its_versions(admin_client, canvas):
    response = admin_client.post(f"/admin/canvas/canvas/{canvas.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not canvas.__class__.objects.exists()


def test_a_single_version_cannot_be_deleted(admin_client, canvas):
    version = canvas.versions.get()
    assert (
        admin_client.post(
            f"/admin/canvas/canvasversion/{version.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_canvas_list_filters_by_owner_and_team(admin_client, canvas, team_canvas, alice, team):
    response = admin_client.get(f"/admin/canvas/canvas/?team__id__exact={team.pk}")
    assert response.status_code == 200
    results = response.content.split(b"result_list")[-1]
    assert b"Team canvas" in results
    assert b"Document processing" not in results
    assert admin_client.get(f"/admin/canvas/canvas/?owner__id__exact={alice.pk}").status_code == 200


def test_a_canvas_is_edited_in_the_admin_without_touching_its_versions(admin_client, canvas, alice):
    from canvas import services

    page = admin_client.get(f"/admin/canvas/canvas/{canvas.pk}/change/")
    assert page.status_code == 200
    services.save_version(canvas, canvas.versions.get().graph, alice, "meanwhile")
    response = admin_client.post(
        f"/admin/canvas/canvas/{canvas.pk}/change/",
        {
            "name": "Renamed in admin",
            "slug": canvas.slug,
            "description": "",
            "owner": alice.pk,
            "team": "",
            "versions-TOTAL_FORMS": "2",
            "versions-INITIAL_FORMS": "2",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "versions-0-id": canvas.versions.get(number=2).pk,
            "versions-0-canvas": canvas.pk,
            "versions-1-id": canvas.versions.get(number=1).pk,
            "versions-1-canvas": canvas.pk,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    canvas.refresh_from_db()
    assert (canvas.name, canvas.latest_version) == ("Renamed in admin", 2)
