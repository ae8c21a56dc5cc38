"""POST canvases/import/ turns plan YAML or workflow.yaml into a canvas — or creates nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from canvas.models import Agent, Canvas, CanvasVersion
from tests.api import counts, fields, url
from tests.documents import DESIGN_PLAN_YAML

PLAN = DESIGN_PLAN_YAML

WORKFLOW = """\
workflow:
  name: research
  goal: Answer research questions
  agents:
    - {name: searcher, type: web-search, goal: Find sources}
    - {name: writer, type: summarizer, goal: Write the answer}
  dependencies: "searcher -> writer"
"""

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
steps: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def step_ids(client, canvas_id):
    exported = client.get(f"/api/canvases/{canvas_id}/export/?format=json").json()
    return [s["id"] for s in exported["steps"]]


def test_it_imports_a_json_wrapped_plan(api_alice, agents):
    response = api_alice.post("/api/canvases/import/", {"yaml": PLAN}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["slug"], body["version"]) == (
        "document-processing",
        "document-processing",
        1,
    )
    assert body["description"] == "Process and summarize a document"
    assert CanvasVersion.objects.get().message == "Imported from YAML"
    assert step_ids(api_alice, body["id"]) == ["extract", "summarize", "review"]


def test_it_imports_an_uploaded_file_under_a_new_name(api_alice, team, agents):
    upload = SimpleUploadedFile("plan.yaml", PLAN.encode(), content_type="application/yaml")
    response = api_alice.post(
        "/api/canvases/import/",
        {"file": upload, "name": "Docs", "team": team.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["name"], response.json()["team"]) == ("Docs", team.pk)


def test_it_imports_a_raw_yaml_body(api_alice, agents):
    response = api_alice.generic(
        "POST", "/api/canvases/import/", PLAN.encode(), content_type="application/yaml"
    )
    assert response.status_code == 201, response.json()


def test_it_imports_a_workflow_yaml(api_alice, alice):
    for slug in ("searcher", "writer"):
        Agent.objects.create(slug=slug, name=slug, description=f"The {slug}.", owner=alice)
    response = api_alice.post("/api/canvases/import/", {"yaml": WORKFLOW}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "research"
    assert step_ids(api_alice, response.json()["id"]) == ["searcher", "writer"]


def test_malformed_yaml_is_a_400_and_creates_nothing(api_alice):
    before = counts()
    response = api_alice.post("/api/canvases/import/", {"yaml": "steps: [unclosed"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "document"
    assert "line" in response.json()["errors"][0]["message"]
    assert counts() == before


def test_a_yaml_bomb_is_a_400_and_creates_nothing(api_alice):
    before = counts()
    response = api_alice.post("/api/canvases/import/", {"yaml": BOMB}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]
    assert counts() == before


def test_an_invalid_plan_lists_every_problem_and_creates_nothing(api_alice):
    bad = "name: x\nsteps:\n  - id: a\n    type: agent\n  - id: b\n    type: agent\n    agent: s\n    depends_on: [zzz]\n"
    before = counts()
    response = api_alice.post("/api/canvases/import/", {"yaml": bad}, format="json")
    assert response.status_code == 400
    located = {(e["node"], e["field"]) for e in response.json()["errors"]}
    assert located == {("a", "steps.0.agent"), ("b", "steps.1.depends_on")}
    assert counts() == before


@override_settings(BATON_YAML_MAX_BYTES=2048)
def test_an_oversized_upload_is_refused_on_file(api_alice):
    upload = SimpleUploadedFile("big.yaml", b"# pad\n" * 1000, content_type="application/yaml")
    before = counts()
    response = api_alice.post("/api/canvases/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert fields(response) == {"file"}
    assert counts() == before


def test_a_request_without_yaml_is_a_400(api_alice):
    response = api_alice.post("/api/canvases/import/", {"name": "x"}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"yaml"}


def test_importing_onto_a_canvas_adds_a_version(api_alice, canvas):
    response = api_alice.post(url(canvas, "import/"), {"yaml": PLAN}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["number"], response.json()["message"]) == (2, "Imported from YAML")
    assert Canvas.objects.count() == 1
    assert step_ids(api_alice, canvas.pk) == ["extract", "summarize", "review"]


def test_a_bad_import_onto_a_canvas_adds_nothing(api_alice, canvas):
    before = counts()
    response = api_alice.post(url(canvas, "import/"), {"yaml": BOMB}, format="json")
    assert response.status_code == 400
    assert counts() == before
