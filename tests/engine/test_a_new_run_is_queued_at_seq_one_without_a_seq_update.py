"""A run's first event (`run.queued`) takes seq 1 with the run itself: creating a run inserts
the event and never UPDATEs the run's seq counter, and the events that follow carry on from 2
with no gap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canvas.graph import plan_to_graph
from canvas.plan import Plan
from canvas.services import create_canvas
from coordinator import engine
from coordinator.models import RunEvent
from coordinator.transport.events import emit, emit_first
from tests.budgets.plans import chain
from tests.engine.coordinator_plans import register_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def canvas(alice):
    register_team()
    return create_canvas(
        owner=alice, name="Seq", graph=plan_to_graph(Plan.model_validate(chain(2)))
    )


def test_creating_a_run_inserts_run_queued_at_seq_one_and_updates_no_run(
    canvas, alice, manual_dispatch
):
    with CaptureQueriesContext(connection) as queries:
        run = engine.start_run(canvas, user=alice, query="go")
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert updates == []
    run.refresh_from_db()
    assert run.event_seq == 1
    assert list(run.events.values_list("seq", "type")) == [(1, "run.queued")]

    emit(run.pk, "intervention", data={"text": "next"})
    run.refresh_from_db()
    assert run.event_seq == 2
    assert list(RunEvent.objects.filter(run=run).order_by("seq").values_list("seq", flat=True)) == [
        1,
        2,
    ]


def test_emit_first_refuses_a_run_whose_seq_one_is_not_its_own(canvas, alice, manual_dispatch):
    run = engine.start_run(canvas, user=alice, query="go")
    emit(run.pk, "intervention", data={"text": "next"})
    run.refresh_from_db()
    with pytest.raises(ValueError, match="event_seq=1"):
        emit_first(run, "intervention", data={"text": "again"})
