"""GET /api/runs/ (the runs page): every run the user may see across canvases, filtered by
status, canvas, how it was started (`source`), conversation, creation time and a search;
a bad value is a 400 naming the parameter."""

from datetime import timedelta

import pytest
from django.utils import timezone

from canvas.models import Canvas
from coordinator.models import Conversation, Run

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(alice, bob):
    docs = Canvas.objects.create(name="Docs assistant", slug="docs", owner=alice)
    billing = Canvas.objects.create(name="Billing flow", slug="billing", owner=alice)
    hidden = Canvas.objects.create(name="Bob's canvas", slug="bobs", owner=bob)
    chat = Conversation.objects.create(canvas=docs, owner=alice, title="chat")

    def run(canvas, **fields):
        return Run.objects.create(canvas=canvas, plan={"steps": []}, created_by=alice, **fields)

    runs = {
        "ui-ok": run(
            docs, query="how do approvals work", status="succeeded", trigger="ui", conversation=chat
        ),
        "api-failed": run(
            docs, query="count runs", status="failed", trigger="api", error="agent timed out"
        ),
        "cli-billing": run(billing, query="invoice 7", status="succeeded", trigger="cli"),
        "bobs": Run.objects.create(
            canvas=hidden,
            plan={"steps": []},
            created_by=bob,
            query="invoice secret",
            status="failed",
            trigger="api",
        ),
    }
    old = timezone.now() - timedelta(days=10)
    Run.objects.filter(pk=runs["cli-billing"].pk).update(created=old)
    return runs


def listed(client, query: str = "") -> set[str]:
    response = client.get(f"/api/runs/?{query}")
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


def ids(world, *names) -> set[str]:
    return {str(world[name].pk) for name in names}


def test_it_lists_every_visible_run_across_canvases_and_no_other(api_alice, world):
    assert listed(api_alice) == ids(world, "ui-ok", "api-failed", "cli-billing")
    first = api_alice.get("/api/runs/").json()["results"][0]
    assert first["canvas_name"] in {"Docs assistant", "Billing flow"}


def test_each_filter_narrows_the_list(api_alice, world):
    assert listed(api_alice, "status=failed") == ids(world, "api-failed")
    assert listed(api_alice, f"canvas={world['cli-billing'].canvas_id}") == ids(
        world, "cli-billing"
    )
    assert listed(api_alice, "source=ui,cli") == ids(world, "ui-ok", "cli-billing")
    chat = world["ui-ok"].conversation_id
    assert listed(api_alice, f"conversation={chat}") == ids(world, "ui-ok")
    week_ago = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert listed(api_alice, f"created_after={week_ago}") == ids(world, "ui-ok", "api-failed")
    assert listed(api_alice, f"created_before={week_ago}") == ids(world, "cli-billing")


def test_search_finds_the_query_the_canvas_name_and_the_error_of_visible_runs(api_alice, world):
    assert listed(api_alice, "q=invoice") == ids(world, "cli-billing")  # not bob's
    assert listed(api_alice, "q=billing") == ids(world, "cli-billing")
    assert listed(api_alice, "q=TIMED+OUT") == ids(world, "api-failed")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("created_after=yesterday", "created_after"),
        ("created_before=2026-13-01", "created_before"),
        ("conversation=nope", "conversation"),
        ("status=exploded", "status"),
        ("q=" + "x" * 201, "q"),
        ("sort=created", "sort"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api_alice, world, query, field):
    response = api_alice.get(f"/api/runs/?{query}")
    assert response.status_code == 400
    assert field in str(response.json())
