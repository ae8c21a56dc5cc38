"""pause, resume, cancel and intervene print the run's new status; a control the run's
status does not allow is refused with exit 2 (the API's 409)."""

import pytest

from coordinator import engine
from coordinator.models import RunEvent
from tests.cli import HELD_PLAN, fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import make_agent, start, step, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def running(alice, engine_settings, agent_calls, release):
    """A run of held then echo, caught while held executes; held finishes when the test
    releases it (at the latest when the test ends)."""
    make_agent("held", "Holds until released.")
    make_agent("echo", "Echoes the query back.")
    run = start(alice, HELD_PLAN)
    wait_until(lambda: "held" in [c["agent"] for c in agent_calls()], what="held to be called")
    yield run
    release()
    wait_until(lambda: step(run, "first").status != "running", what="held to finish")


def test_pause_then_resume_carries_the_run_to_the_end(alice, running, release):
    run = running
    paused = workflow("pause", str(run.pk), "--user", "alice")
    assert (paused.code, paused.out.strip()) == (0, f"run {run.pk} paused")
    release()
    wait_until(lambda: step(run, "first").status == "succeeded", what="the running step to finish")
    run.refresh_from_db()
    assert (run.status, step(run, "second").status) == ("paused", "pending")

    resumed = workflow("resume", str(run.pk), "--user", "alice")
    assert (resumed.code, resumed.out.strip()) == (0, f"run {run.pk} running")
    engine.advance(run.pk)  # the sweep that picks a resumed run up (embedded: another process)
    assert wait_for(run).status == "succeeded"


def test_resume_follow_waits_for_the_end_and_prints_the_answer(alice, running, release):
    run = running
    workflow("pause", str(run.pk), "--user", "alice")
    release()
    wait_until(lambda: step(run, "first").status == "succeeded", what="the running step to finish")
    result = workflow("resume", str(run.pk), "--follow", "--user", "alice")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [f"run {run.pk} running", "echo: 2"]
    assert " run.succeeded " in result.err


def test_cancel_ends_the_run_and_cannot_be_repeated(alice, running):
    run = running
    result = workflow("cancel", str(run.pk), "--user", "alice")
    assert (result.code, result.out.strip()) == (0, f"run {run.pk} cancelled")
    again = workflow("cancel", str(run.pk), "--user", "alice")
    assert again.code == 2
    assert again.err.strip() == "error: a cancelled run cannot be cancelled"
    for control in ("pause", "resume"):
        refused = workflow(control, str(run.pk), "--user", "alice")
        assert refused.code == 2
        assert f"a cancelled run cannot be {control}d" in refused.err


def test_intervene_records_the_text_for_later_steps(alice, running, agent_calls, release):
    run = running
    result = workflow(
        "intervene", str(run.pk), "Only", "use", "sources", "from", "2024", "--user", "alice"
    )
    assert result.code == 0, result.err
    assert result.out.strip() == f"run {run.pk} running: intervention 1 recorded"
    release()
    assert wait_for(run).status == "succeeded"
    assert run.interventions[0]["text"] == "Only use sources from 2024"
    assert run.interventions[0]["by"] == "alice"
    assert RunEvent.objects.filter(run=run, type="intervention").count() == 1

    late = workflow("intervene", str(run.pk), "too late", "--user", "alice")
    assert late.code == 2
    assert "a succeeded run cannot take interventions" in late.err


def test_someone_who_cannot_see_the_run_cannot_control_it(alice, charlie, running, release):
    run = running
    for control in ("pause", "cancel", "resume"):
        result = workflow(control, str(run.pk), "--user", "charlie")
        assert (result.code, result.err.strip()) == (
            2,
            f"error: no run '{run.pk}' visible to charlie",
        )
    release()
    assert wait_for(run).status == "succeeded"
