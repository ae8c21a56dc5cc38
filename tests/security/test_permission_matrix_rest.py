"""The permission matrix, REST: every /api/ endpoint as the owner, a team member, another
user, staff and an anonymous client. Visibility is a 404 (nothing is revealed), a visible
object you may not change is a 403, anonymous is a 401. A new endpoint without a row here
fails `test_every_api_endpoint_has_a_row`."""

from __future__ import annotations

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from tests.conftest import client_for
from tests.security.matrix_world import ROLES, build

pytestmark = pytest.mark.django_db

OK_OR_CONFLICT = (200, 409)  # run controls: allowed; 409 when the run's state forbids it
PLAN_YAML = "name: imported\nsteps:\n  - {id: t, type: transform, output: hi}\n"
GRAPH = {"nodes": [], "edges": []}


def c(w):
    return f"/api/canvases/{w.canvas.pk}/"


def p(w):
    return f"/api/canvases/{w.private.pk}/"


def r(w):
    return f"/api/runs/{w.run.pk}/"


def a(w):
    return f"/api/approvals/{w.approval.pk}/"


#: (url name, method, path(world), body or body(world), expected for owner, member, other,
#: staff)
ROWS = [
    ("agent-list", "get", lambda w: "/api/agents/", None, (200, 200, 200, 200)),
    (
        "agent-list",
        "post",
        lambda w: "/api/agents/",
        {"slug": "fresh", "name": "F", "description": "d"},
        (201, 201, 201, 201),
    ),
    ("agent-detail", "get", lambda w: "/api/agents/alices-private/", None, (200, 404, 404, 200)),
    ("agent-detail", "get", lambda w: "/api/agents/alices-team/", None, (200, 200, 404, 200)),
    (
        "agent-detail",
        "patch",
        lambda w: "/api/agents/alices-team/",
        {"priority": 3},
        (200, 403, 404, 200),
    ),
    (
        "agent-detail",
        "patch",
        lambda w: "/api/agents/alices-team/",
        {"shared_with_all_teams": True},
        (400, 403, 404, 200),
    ),
    ("agent-detail", "delete", lambda w: "/api/agents/alices-private/", None, (204, 404, 404, 204)),
    ("component-list", "get", lambda w: "/api/components/", None, (200, 200, 200, 200)),
    ("canvas-list", "get", lambda w: "/api/canvases/", None, (200, 200, 200, 200)),
    ("canvas-list", "post", lambda w: "/api/canvases/", {"name": "New"}, (201, 201, 201, 201)),
    (
        "canvas-import-yaml",
        "post",
        lambda w: "/api/canvases/import/",
        {"yaml": PLAN_YAML},
        (201, 201, 201, 201),
    ),
    ("canvas-detail", "get", c, None, (200, 200, 404, 404)),
    ("canvas-detail", "get", p, None, (200, 404, 404, 404)),
    ("canvas-detail", "patch", c, {"name": "Renamed"}, (200, 200, 404, 404)),
    ("canvas-detail", "delete", c, None, (204, 403, 404, 404)),
    ("canvas-export", "get", lambda w: c(w) + "export/", None, (200, 200, 404, 404)),
    (
        "canvas-export",
        "post",
        lambda w: c(w) + "export/",
        {"graph": GRAPH},
        (200, 200, 404, 404),
    ),
    (
        "canvas-import-onto",
        "post",
        lambda w: c(w) + "import/",
        {"yaml": PLAN_YAML},
        (201, 201, 404, 404),
    ),
    ("canvas-validate", "post", lambda w: c(w) + "validate/", {}, (200, 200, 404, 404)),
    ("canvas-versions", "get", lambda w: c(w) + "versions/", None, (200, 200, 404, 404)),
    (
        "canvas-versions",
        "post",
        lambda w: c(w) + "versions/",
        {"graph": GRAPH},
        (201, 201, 404, 404),
    ),
    ("canvas-version", "get", lambda w: c(w) + "versions/1/", None, (200, 200, 404, 404)),
    (
        "canvas-version-restore",
        "post",
        lambda w: c(w) + "versions/1/restore/",
        None,
        (201, 201, 404, 404),
    ),
    ("canvas-runs", "get", lambda w: c(w) + "runs/", None, (200, 200, 404, 404)),
    ("canvas-runs", "post", lambda w: c(w) + "runs/", {"query": "q"}, (202, 202, 404, 404)),
    ("canvas-runs", "post", lambda w: p(w) + "runs/", {"query": "q"}, (202, 404, 404, 404)),
    (
        "canvas-test-step",
        "post",
        lambda w: c(w) + "test-step/",
        {"node": "publish", "sample": {}},
        (202, 202, 404, 404),
    ),
    (
        "canvas-test-step",
        "post",
        lambda w: p(w) + "test-step/",
        {"node": "publish", "sample": {}},
        (202, 404, 404, 404),
    ),
    (
        "expression-preview",
        "post",
        lambda w: "/api/expressions/preview/",
        {"expression": "{{ input }}"},
        (200, 200, 200, 200),
    ),
    (
        "expression-preview",
        "post",
        lambda w: "/api/expressions/preview/",
        lambda w: {"expression": "{{ run.query }}", "run": str(w.run.pk)},
        (200, 200, 404, 404),
    ),
    (
        "route-preview",
        "post",
        lambda w: "/api/route/preview/",
        {"query": "team agent"},
        (200, 200, 200, 200),
    ),
    (
        "route-preview",
        "post",
        lambda w: "/api/route/preview/",
        {"query": "private", "agents": ["alices-private"]},
        (200, 400, 400, 400),
    ),
    # Routing test sets are the admin's workbench: staff only; others get a 403.
    (
        "routing-set-import",
        "post",
        lambda w: "/api/routing/test-sets/import/",
        {"name": "matrix", "document": {"agents": [], "cases": []}},
        (403, 403, 403, 400),
    ),
    (
        "routing-set-export",
        "get",
        lambda w: "/api/routing/test-sets/none/export/",
        None,
        (403, 403, 403, 404),
    ),
    (
        "routing-set-runs",
        "get",
        lambda w: "/api/routing/test-sets/none/runs/",
        None,
        (403, 403, 403, 404),
    ),
    # Models and credentials: the catalogue and test calls are staff's; the picker's list is
    # everyone's own (tests/models/ checks it holds only their connections).
    ("model-catalogue", "get", lambda w: "/api/models/", None, (403, 403, 403, 200)),
    (
        "model-test",
        "post",
        lambda w: "/api/models/test/",
        {"connection": "none", "model": "openai/gpt-4o-mini"},
        (403, 403, 403, 400),
    ),
    ("model-options", "get", lambda w: "/api/models/available/", None, (200, 200, 200, 200)),
    ("template-list", "get", lambda w: "/api/templates/", None, (200, 200, 200, 200)),
    # every user may start a canvas of their own from a template
    (
        "template-use",
        "post",
        lambda w: "/api/templates/reference-parallel/use/",
        {},
        (201, 201, 201, 201),
    ),
    ("run-list", "get", lambda w: "/api/runs/", None, (200, 200, 200, 200)),
    ("run-detail", "get", r, None, (200, 200, 404, 404)),
    ("run-events", "get", lambda w: r(w) + "events/", None, (200, 200, 404, 404)),
    ("run-context", "get", lambda w: r(w) + "context/", None, (200, 200, 404, 404)),
    ("run-result", "get", lambda w: r(w) + "result/", None, (200, 200, 404, 404)),
    ("run-pause", "post", lambda w: r(w) + "pause/", None, (OK_OR_CONFLICT,) * 2 + (404, 404)),
    ("run-resume", "post", lambda w: r(w) + "resume/", None, (OK_OR_CONFLICT,) * 2 + (404, 404)),
    ("run-cancel", "post", lambda w: r(w) + "cancel/", None, (OK_OR_CONFLICT,) * 2 + (404, 404)),
    (
        "run-intervene",
        "post",
        lambda w: r(w) + "intervene/",
        {"text": "also check Q2"},
        (OK_OR_CONFLICT,) * 2 + (404, 404),
    ),
    # the world's run has not failed: those who may retry it get a 409, the rest a 404
    ("run-retry", "post", lambda w: r(w) + "retry/", None, (409, 409, 404, 404)),
    (
        "run-signal",
        "post",
        lambda w: r(w) + "signal/",
        {"event": "go", "payload": {}},
        (200, 200, 404, 404),
    ),
    ("approval-list", "get", lambda w: "/api/approvals/", None, (200, 200, 200, 200)),
    # Staff see and may decide every item (the reviewers of last resort, as in the admin).
    ("approval-detail", "get", a, None, (200, 200, 404, 200)),
    ("approval-count", "get", lambda w: "/api/approvals/count/", None, (200, 200, 200, 200)),
    ("approval-claim", "post", lambda w: a(w) + "claim/", None, (200, 200, 404, 200)),
    # nobody holds the claim yet: a 409 for those who may act, a 404 for the rest
    ("approval-release", "post", lambda w: a(w) + "release/", None, (409, 409, 404, 409)),
    (
        "approval-reassign",
        "post",
        lambda w: a(w) + "reassign/",
        {"to": "bob", "comment": "yours"},
        (200, 200, 404, 200),
    ),
    # four eyes: alice started the run, so only someone else may decide
    (
        "approval-decide",
        "post",
        lambda w: a(w) + "decide/",
        {"approve": True},
        (403, 200, 404, 200),
    ),
]

NOT_IN_MATRIX = {"schema", "swagger-ui", "api-token"}  # public documents / how to log in

# Endpoints whose per-role checks live in their own feature's tests (not yet rows here).
COVERED_BY = {
    "trigger-list": "tests/triggers/test_trigger_api_follows_canvas_visibility_and_refuses_bad_fields.py",
    "trigger-detail": "tests/triggers/test_trigger_api_follows_canvas_visibility_and_refuses_bad_fields.py",
    "trigger-preview": "tests/triggers/test_trigger_api_follows_canvas_visibility_and_refuses_bad_fields.py",
    "trigger-rotate-secret": "tests/triggers/test_trigger_api_follows_canvas_visibility_and_refuses_bad_fields.py",
    "trigger-runs": "tests/triggers/test_trigger_api_follows_canvas_visibility_and_refuses_bad_fields.py",
    "event-post": "tests/triggers/test_event_triggers_chain_runs_within_a_depth_limit.py",
    "webhook": "tests/triggers/test_webhooks_accept_each_signed_fresh_delivery_once.py",
    "plan-generate": "tests/plans/test_generating_a_plan_from_a_goal_respects_every_constraint.py",
}


def api_url_names() -> set[str]:
    names = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif (prefix + str(pattern.pattern)).startswith("api/"):
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_api_endpoint_has_a_row():
    import pathlib

    assert api_url_names() - NOT_IN_MATRIX - set(COVERED_BY) == {row[0] for row in ROWS}
    assert all(pathlib.Path(path).is_file() for path in COVERED_BY.values())


CASES = [
    pytest.param(row, role, id=f"{row[1]}-{row[0]}-{i}-{role}")
    for i, row in enumerate(ROWS)
    for role in ROLES
]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_each_role_gets_exactly_what_it_may(row, role):
    _name, method, path, body, expected = row
    world = build()
    client = client_for(world.users[role])
    body = body(world) if callable(body) else body
    response = getattr(client, method)(path(world), body, format="json")
    wanted = 401 if role == "anonymous" else expected[ROLES.index(role)]
    allowed = wanted if isinstance(wanted, tuple) else (wanted,)
    assert response.status_code in allowed, (role, method, path(world), response.content[:300])


def visible(client, path: str) -> set[str]:
    body = client.get(path).json()
    items = body["results"] if isinstance(body, dict) else body
    return {str(item.get("id") or item.get("slug")) for item in items}


def test_lists_show_each_role_only_what_it_may_see():
    w = build()
    seen = {role: client_for(w.users[role]) for role in ROLES[:4]}
    canvases = {role: visible(cl, "/api/canvases/") for role, cl in seen.items()}
    assert canvases == {
        "owner": {str(w.canvas.pk), str(w.private.pk)},
        "member": {str(w.canvas.pk)},
        "other": set(),
        "staff": set(),
    }
    agents = {role: visible(cl, "/api/agents/") for role, cl in seen.items()}
    assert agents == {
        "owner": {"alices-private", "alices-team"},
        "member": {"alices-team"},
        "other": set(),
        "staff": {"alices-private", "alices-team"},
    }
    runs = {role: visible(cl, "/api/runs/") for role, cl in seen.items()}
    assert runs == {
        "owner": {str(w.run.pk)},
        "member": {str(w.run.pk)},
        "other": set(),
        "staff": set(),
    }
    approvals = {role: visible(cl, "/api/approvals/") for role, cl in seen.items()}
    assert approvals == {
        "owner": {str(w.approval.pk)},
        "member": {str(w.approval.pk)},
        "other": set(),
        "staff": {str(w.approval.pk)},
    }
