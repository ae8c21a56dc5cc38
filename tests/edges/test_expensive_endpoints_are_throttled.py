"""Item 4b: run creation, YAML import and route preview are rate limited per user (DRF
throttles, rates from settings); over the rate is a 429 with Retry-After, and other users
and other endpoints are not affected."""

import pytest
from django.core.cache import cache

from coordinator.models import Run
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)

PLAN_YAML = "name: p\nsteps: [{id: s, type: transform, output: 1}]\n"


@pytest.fixture
def rates(settings):
    cache.clear()
    settings.BATON_THROTTLE_RATES = {"runs": "2/min", "imports": "1/min", "preview": "1/min"}
    yield settings.BATON_THROTTLE_RATES
    cache.clear()


def test_starting_runs_past_the_rate_is_a_429_with_retry_after(
    alice, bob, team, api_alice, api_bob, engine_settings, rates
):
    canvas = team_canvas(alice, team=team)
    url = f"/api/canvases/{canvas.pk}/runs/"
    for _ in range(2):
        assert api_alice.post(url, {"query": "q"}, format="json").status_code == 202
    refused = api_alice.post(url, {"query": "q"}, format="json")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    assert Run.objects.count() == 2
    assert api_alice.get(url).status_code == 200  # listing is not throttled
    assert api_bob.post(url, {"query": "q"}, format="json").status_code == 202  # per user


def test_imports_and_previews_past_the_rate_are_refused(alice, api_alice, rates):
    def import_once():
        return api_alice.post(
            "/api/canvases/import/", data=PLAN_YAML.encode(), content_type="application/yaml"
        )

    assert import_once().status_code == 201
    assert import_once().status_code == 429
    preview = {"query": "How many runs failed?"}
    assert api_alice.post("/api/route/preview/", preview, format="json").status_code == 200
    refused = api_alice.post("/api/route/preview/", preview, format="json")
    assert refused.status_code == 429
    assert "Retry-After" in refused


def test_an_empty_rate_turns_a_throttle_off(alice, api_alice, rates):
    rates["imports"] = None
    for _ in range(3):
        response = api_alice.post(
            "/api/canvases/import/", data=PLAN_YAML.encode(), content_type="application/yaml"
        )
        assert response.status_code == 201
