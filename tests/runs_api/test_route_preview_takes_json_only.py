"""route/preview/ reads JSON only: a form body, where a repeated field would silently keep
just its last value, is refused, and the schema offers JSON alone."""

URL = "/api/route/preview/"


def test_a_form_body_with_a_repeated_field_is_refused(api_alice):
    response = api_alice.post(
        URL,
        "query=chart+revenue&strategy=nonsense&strategy=capability_based",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415


def test_the_schema_offers_json_alone(api_alice):
    schema = api_alice.get("/api/schema/?format=json").json()
    body = schema["paths"][URL]["post"]["requestBody"]["content"]
    assert list(body) == ["application/json"]
