"""Budget, not timing (embedded mode, SQLite): `POST /api/canvases/<id>/runs/` makes at most a fixed number of SQL
queries, in one transaction, and enqueues the run once; the pinned version is compiled once
per process, not once per run. Measured (SQLite, embedded mode): 12 queries when set, 8 since
the canvas and its version come in one query, the run's first event takes no seq UPDATE and
no savepoint is nested: one SELECT, then BEGIN, five INSERTs (conversation, run, steps, event,
turn) and COMMIT (plus one read of the graph by the first run of a version, which compiles
it)."""

import pytest

from canvas import compiled
from canvas.graph import plan_to_graph
from canvas.plan import Plan
from canvas.services import create_canvas
from tests.budgets.plans import chain
from tests.engine.coordinator_plans import register_team
from tests.engine_helpers import embedded_only

# Counted in this process, task by task: embedded mode only.
pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]

QUERIES_PER_RUN_CREATION = 8


@pytest.fixture
def canvas(alice):
    register_team()
    return create_canvas(
        owner=alice, name="Budget", graph=plan_to_graph(Plan.model_validate(chain(3)))
    )


def test_each_post_stays_within_the_query_budget_in_one_transaction(
    api_alice, canvas, tasks, django_assert_max_num_queries
):
    compiled.forget()
    for index in range(3):
        # The first run of a version reads its graph to compile it; later ones never do.
        budget = QUERIES_PER_RUN_CREATION + (1 if index == 0 else 0)
        with django_assert_max_num_queries(budget) as queries:
            response = api_alice.post(
                f"/api/canvases/{canvas.pk}/runs/", {"query": "go"}, format="json"
            )
        assert response.status_code == 202, response.content
        statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
        # SQLite (embedded mode) logs its transaction control: one BEGIN … COMMIT holds
        # every write of the request.
        assert statements.count("BEGIN") == 1 and statements.count("COMMIT") == 1, statements
        first, last = statements.index("BEGIN"), statements.index("COMMIT")
        writes = [i for i, s in enumerate(statements) if s in ("INSERT", "UPDATE", "DELETE")]
        assert writes and all(first < i < last for i in writes), statements


def test_each_post_enqueues_its_run_exactly_once(api_alice, canvas, tasks):
    response = api_alice.post(f"/api/canvases/{canvas.pk}/runs/", {"query": "go"}, format="json")
    assert response.status_code == 202, response.content
    assert tasks.queue == [("advance", (response.json()["id"],))]


def test_the_pinned_version_is_compiled_once_for_many_runs(api_alice, canvas, tasks, monkeypatch):
    compiled.forget()
    calls = []
    original = compiled.compile_graph
    monkeypatch.setattr(compiled, "compile_graph", lambda *a: calls.append(a) or original(*a))
    for _ in range(3):
        response = api_alice.post(
            f"/api/canvases/{canvas.pk}/runs/", {"query": "go"}, format="json"
        )
        assert response.status_code == 202, response.content
    assert len(calls) == 1
