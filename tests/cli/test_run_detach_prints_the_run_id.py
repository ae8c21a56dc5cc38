"""`workflow run --detach` queues the run, prints its id on stdout and returns at once."""

import uuid

import pytest
from django.conf import settings

from coordinator import engine
from coordinator.models import Conversation, Run
from tests.cli import fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import wait_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_prints_only_the_run_id_on_stdout(alice, engine_settings):
    team_canvas(alice)
    result = workflow(
        "run", "team-canvas", "--query", "What was our revenue?", "--detach", "--user", "alice"
    )
    assert result.code == 0, result.err
    run = Run.objects.get(pk=uuid.UUID(result.out.strip()))
    assert (run.query, run.trigger, run.created_by) == ("What was our revenue?", "cli", alice)
    assert f"workflow logs {run.pk} --tail" in result.err
    conversation = Conversation.objects.get(pk=run.conversation_id)
    assert [t["content"] for t in conversation.history()] == ["What was our revenue?"]


@pytest.mark.skipif(settings.DISTRIBUTED, reason="embedded mode only")
def test_in_embedded_mode_the_run_stays_queued_until_a_sweep_picks_it_up(alice, engine_settings):
    team_canvas(alice)
    result = workflow(
        "run", "team-canvas", "--query", "What was our revenue?", "--detach", "--user", "alice"
    )
    run = Run.objects.get(pk=result.out.strip())
    assert "stays queued until a Baton server" in result.err
    assert run.status == "queued"  # this process started nothing

    engine.sweep()  # what a Baton server's sweeper does every few seconds
    run = wait_for(run)
    assert run.status == "succeeded", run.error
    assert run.result["answer"].startswith("Revenue grew")


def test_it_refuses_input_that_is_not_a_json_object_and_starts_nothing(alice, engine_settings):
    team_canvas(alice)
    for bad in ("[1, 2]", "{nope"):
        result = workflow("run", "team-canvas", "--input", bad, "--detach", "--user", "alice")
        assert result.code == 2
        assert "--input" in result.err
    assert not Run.objects.exists()
