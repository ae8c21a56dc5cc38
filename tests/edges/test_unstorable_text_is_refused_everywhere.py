"""Item 1: text that cannot be stored (a lone surrogate, NUL) is refused with a 400 naming the
field wherever it comes in — JSON, forms, multipart, YAML, query strings, websocket messages —
and nothing is saved; values the engine makes are repaired, so no stored row can make a list
answer 500. Runs on SQLite, and on PostgreSQL in make test's distributed pass."""

import json

import pytest
from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile

from canvas.models import Agent, Canvas
from coordinator.models import Run
from tests.engine_helpers import make_agent, start, step, wait_for
from tests.live.ws import communicator, token_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)

SURROGATE = r'"\udfff"'  # JSON text: the escape itself, as an attacker sends it
NUL = r'"a\u0000b"'


def post_raw(client, url, body: str):
    return client.post(url, data=body, content_type="application/json")


def field_of(response) -> str:
    assert response.status_code == 400, response.content
    return response.json()["errors"][0]["field"]


@pytest.mark.parametrize("bad", [SURROGATE, NUL])
def test_a_run_with_unstorable_input_is_refused_and_the_lists_keep_working(
    alice, api_alice, engine_settings, bad
):
    canvas = team_canvas(alice)
    url = f"/api/canvases/{canvas.pk}/runs/"
    assert field_of(post_raw(api_alice, url, f'{{"query": "q", "input": {{"a": {bad}}}}}')) == (
        "input.a"
    )
    assert field_of(post_raw(api_alice, url, f'{{"query": {bad}}}')) == "query"
    assert field_of(post_raw(api_alice, url, f'{{"query": "q", "input": {{{bad}: 1}}}}')) == (
        "input.\ufffd" if bad == SURROGATE else "input.a\ufffdb"
    )
    assert Run.objects.count() == 0
    for listing in ("/api/runs/", url):
        assert api_alice.get(listing).status_code == 200


def test_canvas_and_agent_bodies_are_checked_too(alice, api_alice):
    assert field_of(post_raw(api_alice, "/api/canvases/", f'{{"name": {NUL}}}')) == "name"
    body = f'{{"slug": "x", "name": "X", "description": {SURROGATE}}}'
    assert field_of(post_raw(api_alice, "/api/agents/", body)) == "description"
    assert Canvas.objects.count() == 0
    assert Agent.objects.count() == 0


def test_a_form_body_is_checked(alice, api_anon):
    response = api_anon.post("/api/auth/token/", {"username": "al\x00ice", "password": "x"})
    assert field_of(response) == "username"


@pytest.mark.parametrize(
    "yaml_text",
    [
        'name: "a\\0b"\nsteps: [{id: s, type: transform, output: 1}]\n',
        'name: p\nsteps: [{id: s, type: transform, output: "\\udfff"}]\n',
    ],
)
def test_yaml_imports_are_checked_as_raw_bodies_and_uploads(alice, api_alice, yaml_text):
    raw = api_alice.post(
        "/api/canvases/import/", data=yaml_text.encode(), content_type="application/yaml"
    )
    assert raw.status_code == 400, raw.content
    fields = [e["field"] for e in raw.json()["errors"]]
    assert fields[0] in ("name", "steps.0.output")
    upload = api_alice.post(
        "/api/canvases/import/",
        {"file": SimpleUploadedFile("plan.yaml", yaml_text.encode())},
        format="multipart",
    )
    assert upload.status_code == 400
    assert Canvas.objects.count() == 0


def test_a_query_string_with_a_nul_is_refused_naming_the_parameter(alice, api_alice):
    assert field_of(api_alice.get("/api/runs/?status=%00")) == "status"
    assert field_of(api_alice.get("/api/agents/?search=a%00")) == "search"
    assert field_of(api_alice.get("/api/canvases/?search=%00")) == "search"


def test_engine_made_text_is_repaired_before_it_is_stored(alice, api_alice, engine_settings):
    """An expression can build a lone surrogate or a NUL; the stored output holds U+FFFD."""
    run = wait_for(
        start(
            alice,
            {
                "name": "p",
                "steps": [
                    {"id": "t", "type": "transform", "output": {"a": "{{ '\\udfff' ~ '\\x00' }}"}}
                ],
                "result": "t",
            },
        )
    )
    assert run.status == "succeeded", run.error
    assert step(run, "t").output == {"a": "\ufffd\ufffd"}
    for url in ("/api/runs/", f"/api/runs/{run.pk}/", f"/api/canvases/{run.canvas_id}/runs/"):
        assert api_alice.get(url).status_code == 200, url


@pytest.mark.asyncio
async def test_a_websocket_message_with_unstorable_text_is_refused(alice, engine_settings):
    await sync_to_async(make_agent)("echo", "Echoes the query back.")
    run = await sync_to_async(start)(
        alice, {"name": "p", "steps": [{"id": "a", "type": "agent", "agent": "echo"}]}
    )
    run = await sync_to_async(wait_for)(run)
    token = await sync_to_async(token_for)(alice)
    comm = communicator(f"/ws/runs/{run.pk}/", token=token)
    connected, _ = await comm.connect()
    assert connected
    while True:  # the replay of the finished run
        message = json.loads(await comm.receive_from(timeout=10))
        if message["type"] == "run.succeeded":
            break
    await comm.send_to(text_data='{"type": "note", "text": "\\u0000"}')
    refusal = json.loads(await comm.receive_from(timeout=10))
    assert refusal == {
        "type": "error",
        "errors": [
            {
                "field": "message.text",
                "message": "contains a NUL character (\\u0000), which cannot be stored",
            }
        ],
    }
    closed = await comm.receive_output(timeout=10)
    assert closed == {"type": "websocket.close", "code": 4400}
