"""GET /api/components/ serves the palette: every component type with its config schema."""

from canvas.components import COMPONENTS


def test_it_lists_every_component_with_schema_defaults_and_handles(api_alice):
    response = api_alice.get("/api/components/")
    assert response.status_code == 200
    body = response.json()
    assert [c["type"] for c in body] == list(COMPONENTS)
    coordinator = next(c for c in body if c["type"] == "coordinator")
    assert (
        coordinator["schema"]["properties"]["selection_strategy"]["default"] == "capability_based"
    )
    assert coordinator["defaults"]["temperature"] == 0.1
    assert {"id": "agents", "kind": "source", "role": "delegation", "label": "sub-agents"} in (
        coordinator["handles"]
    )
