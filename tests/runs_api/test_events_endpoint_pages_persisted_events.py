import pytest

from coordinator.models import Run
from tests.engine_helpers import wait_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_events_after_a_seq_are_the_same_messages_as_the_socket(alice, api_alice, engine_settings):
    canvas = team_canvas(alice)
    run_id = api_alice.post(
        f"/api/canvases/{canvas.pk}/runs/", {"query": "revenue?"}, format="json"
    ).json()["id"]
    run = wait_for(Run.objects.get(pk=run_id))
    everything = api_alice.get(f"/api/runs/{run_id}/events/").json()
    assert [e["seq"] for e in everything["events"]] == list(range(1, run.event_seq + 1))
    assert everything["last_seq"] == run.event_seq and everything["more"] is False
    later = api_alice.get(f"/api/runs/{run_id}/events/?after=5").json()
    assert later["events"] == everything["events"][5:]
    assert later["events"][0] == run.events.get(seq=6).as_message()
    assert api_alice.get(f"/api/runs/{run_id}/events/?after=x").status_code == 400
