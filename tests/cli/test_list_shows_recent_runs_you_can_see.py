"""`workflow list` shows recent runs of the canvases you can see, newest first, filtered."""

import pytest

from tests.cli import FAILING_PLAN, fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import make_agent, make_plan_canvas, wait_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def runs(alice, engine_settings):
    """Three finished runs of alice's: two of team-canvas (succeeded), one of broken (failed)."""
    from coordinator import engine

    make_agent("failing", "Always fails.")
    team = team_canvas(alice)
    broken = make_plan_canvas(alice, "broken", FAILING_PLAN)
    first = wait_for(engine.start_run(team, user=alice, query="What was our revenue?"))
    second = wait_for(engine.start_run(broken, user=alice, query="Break, please"))
    third = wait_for(engine.start_run(team, user=alice, query="Weather in Paris tomorrow?"))
    return first, second, third


def ids(result) -> list[str]:
    return [line.split()[0] for line in result.out.splitlines()[1:]]


def test_it_lists_runs_newest_first_with_their_columns(alice, runs):
    result = workflow("list", "--user", "alice")
    assert result.code == 0, result.err
    header, *rows = result.out.splitlines()
    assert header.split() == ["ID", "CANVAS", "STATUS", "CREATED", "DURATION", "QUERY"]
    assert ids(result) == [str(r.pk) for r in reversed(runs)]
    assert rows[1].split()[1:3] == ["broken", "failed"]
    assert rows[1].endswith("Break, please")
    assert rows[0].split()[1:3] == ["team-canvas", "succeeded"]


def test_it_filters_by_status_canvas_and_limit(alice, runs):
    first, second, third = runs
    assert ids(workflow("list", "--status", "failed", "--user", "alice")) == [str(second.pk)]
    assert ids(
        workflow("list", "--status", "failed,succeeded", "--limit", "2", "--user", "alice")
    ) == [
        str(third.pk),
        str(second.pk),
    ]
    assert ids(workflow("list", "--canvas", "team-canvas", "--user", "alice")) == [
        str(third.pk),
        str(first.pk),
    ]
    assert ids(workflow("list", "--active", "--user", "alice")) == []


def test_it_refuses_an_unknown_status(alice, runs):
    result = workflow("list", "--status", "exploded", "--user", "alice")
    assert result.code == 2
    assert "unknown status exploded" in result.err


def test_someone_without_access_sees_no_runs(charlie, runs):
    result = workflow("list", "--user", "charlie")
    assert (result.code, result.out) == (0, "")
    assert "no runs visible to charlie" in result.err
