"""After a step's record the advance takes the ended rows its thread read before as they
are (an ended row never changes again but to be superseded) and reads every other row, the
new ones included (runner._current_rows): a superseded row's next attempt replaces it, and
a row that was pending in hand but has ended since is read as it is now."""

import pytest

from coordinator.engine import runner, store
from coordinator.models import StepRun
from tests.engine_helpers import make_agent, start

pytestmark = pytest.mark.django_db

CHAIN = {
    "name": "chain",
    "steps": [
        {"id": "a", "type": "agent", "agent": "echo"},
        {"id": "b", "type": "agent", "agent": "echo", "depends_on": ["a"]},
        {"id": "c", "type": "agent", "agent": "echo", "depends_on": ["b"]},
    ],
}


@pytest.fixture
def run(alice):
    make_agent("echo", "Echoes the query back.")
    return start(alice, CHAIN)  # rows only: nothing is dispatched before the test commits


def rows_of(run) -> dict[str, StepRun]:
    return {r.step_id: r for r in StepRun.objects.filter(run=run, superseded=False)}


def test_ended_rows_in_hand_are_kept_and_the_others_are_read(run, django_assert_num_queries):
    StepRun.objects.filter(run=run, step_id="a").update(status="succeeded", output={"x": 1})
    in_hand = rows_of(run)
    StepRun.objects.filter(run=run, step_id="b").update(status="succeeded", output={"x": 2})
    with django_assert_num_queries(1):
        rows = runner._current_rows(run, list(in_hand.values()))
    assert [r.step_id for r in rows] == ["a", "b", "c"]
    assert rows[0] is in_hand["a"]  # not read again
    assert (rows[1].status, rows[1].output) == ("succeeded", {"x": 2})  # ended since: read


def test_a_superseded_ended_row_gives_way_to_its_next_attempt(run):
    StepRun.objects.filter(run=run, step_id="a").update(status="failed")
    in_hand = rows_of(run)
    retry = store.next_attempt(in_hand["a"], iteration=1, resume_at=None)
    rows = runner._current_rows(run, list(in_hand.values()))
    assert [(r.step_id, r.pk) for r in rows] == [
        ("b", in_hand["b"].pk),
        ("c", in_hand["c"].pk),
        ("a", retry.pk),
    ]
    assert rows[2].status == "pending"


def test_without_rows_in_hand_every_current_row_is_read(run):
    assert [r.step_id for r in runner._current_rows(run, None)] == ["a", "b", "c"]
