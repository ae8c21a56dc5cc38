"""start_run prepares the column values of a compiled plan's steps once (coordinator/engine/
store.py, _new_steps) and fills in each run's id; a plan given by the caller is written from
StepRun instances. Both must give the same rows, and one run's rows never leak into the
next's. The run's own row, written with a hand-built statement (coordinator/sql_rows.py),
reads back as the instance start_run returned."""

import pytest
from django.forms.models import model_to_dict

from canvas import compiled
from canvas.graph import plan_to_graph
from canvas.plan import Plan
from canvas.services import create_canvas
from coordinator import engine
from coordinator.models import Run, StepRun
from tests.budgets.plans import chain
from tests.engine.coordinator_plans import register_team
from tests.engine_helpers import ManualDispatch

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held(engine_settings, monkeypatch):
    """Runs are created, not executed: their steps stay as start_run wrote them."""
    from coordinator.transport import dispatch

    manual = ManualDispatch()
    monkeypatch.setattr(dispatch, "_send", manual.send)
    return manual


def rows(run) -> list[dict]:
    return [
        {k: v for k, v in model_to_dict(step).items() if k not in ("id", "run")}
        for step in StepRun.objects.filter(run=run).order_by("id")
    ]


def test_runs_of_a_version_get_the_same_steps_as_a_run_given_its_plan(alice, held):
    register_team()
    plan = Plan.model_validate(chain(4))
    canvas = create_canvas(owner=alice, name="Steps", graph=plan_to_graph(plan))
    compiled.forget()
    first = engine.start_run(canvas, user=alice, query="one")
    second = engine.start_run(canvas, user=alice, query="two")  # from the prepared values
    given = engine.start_run(
        canvas, user=alice, query="three", plan=compiled.plan_of(canvas, canvas.current_version())
    )
    assert rows(first) == rows(second) == rows(given)
    assert [r["step_id"] for r in rows(second)] == ["s0", "s1", "s2", "s3"]
    assert rows(second)[1]["depends_on"] == ["s0"]
    assert rows(second)[0]["status"] == "pending" and rows(second)[0]["engine_state"] == {}
    for run in (first, second, given):
        assert StepRun.objects.filter(run=run).count() == 4


def test_a_new_runs_row_reads_back_as_the_instance_start_run_returned(alice, held):
    register_team()
    canvas = create_canvas(
        owner=alice, name="Row", graph=plan_to_graph(Plan.model_validate(chain(2)))
    )
    run = engine.start_run(canvas, user=alice, query='it\'s "quoted" ünïcode', input={"n": 1.5})
    stored = Run.objects.get(pk=run.pk)
    for field in Run._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(run, field.attname), field.name
    assert (stored.status, stored.event_seq, stored.history) == ("queued", 1, [])
