"""POST route/preview/ says where the offline router would send a query, and why, without
running anything: the level, the selected agents with scores, reasons and candidates."""

import pytest

from canvas.models import Agent
from coordinator.models import Run
from tests.engine.coordinator_plans import register_team
from tests.engine_helpers import make_agent

pytestmark = pytest.mark.django_db

URL = "/api/route/preview/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def preview(client, **body):
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_revenue_question_goes_to_the_sales_agent(api_alice):
    register_team()
    body = preview(api_alice, query="What was our revenue last quarter?")
    assert body["level"] == "LOW"
    assert body["agents"] == ["sales"]
    assert body["strategy"] == "capability_based"
    assert set(body["scores"]) == {"sales"}
    assert 0.4 <= body["scores"]["sales"] <= 1
    assert body["candidates"][0]["slug"] == "sales"
    assert any("revenue" in term for term in body["candidates"][0]["matched_terms"])
    assert body["candidates"][0]["reason"]
    assert any("LOW" in reason for reason in body["reasons"])
    assert any("sales" in reason and "capability_based" in reason for reason in body["reasons"])
    assert sorted(body["considered"]) == ["echo", "sales", "weather"]
    assert not Run.objects.exists()


def test_a_two_part_question_selects_two_agents(api_alice):
    register_team()
    body = preview(
        api_alice,
        query="What was our revenue in Europe, and what is the weather forecast for Paris?",
    )
    assert body["level"] in ("MEDIUM", "HIGH")
    assert set(body["agents"]) == {"sales", "weather"}
    assert len(body["sub_queries"]) == 2


def test_an_unrelated_question_goes_nowhere(api_alice):
    register_team()
    body = preview(api_alice, query="Who painted the Mona Lisa?")
    assert (body["level"], body["agents"], body["scores"], body["candidates"]) == (
        "NONE",
        [],
        {},
        [],
    )
    assert body["reasons"]


def test_only_the_named_agents_are_considered(api_alice):
    register_team()
    body = preview(
        api_alice, query="What was our revenue last quarter?", agents=["weather", "echo"]
    )
    assert body["considered"] == ["weather", "echo"]
    assert "sales" not in body["agents"]


def test_disabled_agents_are_left_out_by_default(api_alice):
    register_team()
    Agent.objects.filter(slug="sales").update(enabled=False)
    body = preview(api_alice, query="What was our revenue last quarter?")
    assert "sales" not in body["considered"]
    assert body["agents"] == []


def test_the_strategy_decides_between_equally_capable_agents(api_alice):
    description = "Sales analytics: revenue, income and sales figures per region and quarter."
    make_agent("sales", description, capabilities=["revenue", "sales"])
    make_agent("sales-backup", description, capabilities=["revenue", "sales"], priority=5)
    query = "What was our revenue last quarter?"
    assert preview(api_alice, query=query)["agents"] == ["sales"]
    body = preview(api_alice, query=query, strategy="priority_based")
    assert body["agents"] == ["sales-backup"]
    assert any("priority 5" in reason for reason in body["reasons"])
    assert preview(api_alice, query=query, strategy="load_balanced")["agents"] == ["sales"]


def test_it_needs_authentication(api_anon):
    response = api_anon.post(URL, {"query": "revenue"}, format="json")
    assert response.status_code in (401, 403)


def test_the_endpoint_is_in_the_openapi_schema(api_alice):
    schema = api_alice.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/route/preview/"]["post"]
    assert operation["operationId"] == "route_preview"
    assert "200" in operation["responses"]
