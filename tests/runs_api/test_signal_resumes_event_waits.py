import pytest

from tests.engine_helpers import start, step, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = {"name": "w", "steps": [{"id": "w", "type": "wait", "event": "go"}]}


def test_a_signal_resumes_the_waiting_step_with_its_payload(alice, api_alice, engine_settings):
    run = wait_for(start(alice, PLAN), statuses=("waiting",))
    other = api_alice.post(f"/api/runs/{run.pk}/signal/", {"event": "stop"}, format="json")
    assert other.json() == {"resumed": 0}
    response = api_alice.post(
        f"/api/runs/{run.pk}/signal/", {"event": "go", "payload": {"n": 1}}, format="json"
    )
    assert response.status_code == 200 and response.json() == {"resumed": 1}
    run = wait_for(run)
    assert step(run, "w").output == {"event": "go", "payload": {"n": 1}}


@pytest.mark.parametrize(
    ("body", "field"), [({}, "event"), ({"event": "go", "payload": "x"}, "payload")]
)
def test_a_bad_signal_is_refused_naming_the_field(alice, api_alice, engine_settings, body, field):
    run = wait_for(start(alice, PLAN), statuses=("waiting",))
    response = api_alice.post(f"/api/runs/{run.pk}/signal/", body, format="json")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert step(run, "w").status == "waiting"
