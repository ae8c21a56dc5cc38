import pytest

from coordinator.models import Conversation, Run
from tests.engine_helpers import wait_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_starts_a_run_of_the_latest_version_and_answers_202(alice, api_alice, engine_settings):
    canvas = team_canvas(alice)
    response = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/", {"query": "What was our revenue?"}, format="json"
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued"
    assert body["version"] == 1
    run = wait_for(Run.objects.get(pk=body["id"]))
    assert run.status == "succeeded"
    detail = api_alice.get(f"/api/runs/{run.pk}/").json()
    assert detail["result"]["answer"].startswith("Revenue grew")
    assert set(detail["phases"]["coord"]) >= {
        "complexity",
        "selection",
        "planning",
        "execution",
        "synthesis",
    }
    assert detail["phases"]["coord"]["complexity"]["decision"]["level"] == "LOW"
    assert [s["step_id"] for s in detail["steps"]] == ["coord", "coord.s1-sales"]


def test_a_follow_up_in_the_same_conversation_carries_the_history(
    alice, api_alice, engine_settings
):
    canvas = team_canvas(alice)
    first = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/",
        {"query": "What was our revenue in Europe?"},
        format="json",
    ).json()
    wait_for(Run.objects.get(pk=first["id"]))
    second = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/",
        {"query": "And in the US?", "conversation": first["conversation"]},
        format="json",
    )
    assert second.status_code == 202
    run = wait_for(Run.objects.get(pk=second.json()["id"]))
    assert [t["content"] for t in run.history] == [
        "What was our revenue in Europe?",
        run.history[1]["content"],
    ]
    assert run.history[1]["role"] == "assistant"
    conversation = Conversation.objects.get(pk=first["conversation"])
    assert [t["role"] for t in conversation.history()] == ["user", "assistant", "user", "assistant"]
    # the short follow-up was routed with the earlier turn for context
    assert run.selection["agents"] == ["sales"]


def test_the_result_downloads_as_markdown_and_json(alice, api_alice, engine_settings):
    canvas = team_canvas(alice)
    run_id = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/", {"query": "What was our revenue?"}, format="json"
    ).json()["id"]
    wait_for(Run.objects.get(pk=run_id))
    markdown = api_alice.get(f"/api/runs/{run_id}/result/?format=markdown")
    assert markdown.status_code == 200
    assert markdown["Content-Disposition"] == f'attachment; filename="run-{run_id}.md"'
    text = markdown.content.decode()
    assert "## Answer" in text and "Revenue grew 12%" in text and "| region | revenue |" in text
    data = api_alice.get(f"/api/runs/{run_id}/result/?format=json").json()
    assert data["status"] == "succeeded" and data["result"]["answer"].startswith("Revenue grew")
    assert api_alice.get(f"/api/runs/{run_id}/result/?format=pdf").status_code == 400
