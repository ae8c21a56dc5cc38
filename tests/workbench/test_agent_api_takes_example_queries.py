"""The agent API reads and writes example queries and counter-examples, validated."""


def test_examples_round_trip_through_the_api(api_alice):
    created = api_alice.post(
        "/api/agents/",
        {
            "slug": "weather",
            "name": "Weather",
            "description": "Weather forecasts for a city.",
            "examples": ["Will it rain tomorrow?"],
            "counter_examples": ["What is the air quality?"],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = api_alice.get("/api/agents/weather/").json()
    assert body["examples"] == ["Will it rain tomorrow?"]
    assert body["counter_examples"] == ["What is the air quality?"]


def test_bad_examples_are_refused_by_field(api_alice):
    response = api_alice.post(
        "/api/agents/",
        {"slug": "w", "name": "W", "description": "d", "examples": ["x" * 301]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith("examples")
