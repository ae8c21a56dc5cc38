"""Shared by the trigger tests: a canvas that runs the echo agent, and a trigger via the API."""

from tests.engine_helpers import make_agent, make_plan_canvas

ECHO_PLAN = {
    "name": "echo",
    "steps": [{"id": "echo", "type": "agent", "agent": "echo"}],
    "result": "echo",
}


def echo_canvas(owner, slug: str, **fields):
    from canvas.models import Agent

    if not Agent.objects.filter(slug="echo").exists():
        make_agent("echo", "Repeats the query back.")
    return make_plan_canvas(owner, slug, ECHO_PLAN, **fields)


def create_trigger(client, canvas, **fields) -> dict:
    body = {"canvas": str(canvas.pk), "name": fields.pop("name", "t"), **fields}
    response = client.post("/api/triggers/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()
