"""The command acts as one user and sees what that user sees in the API: own canvases and
those shared with a team; without --user, the only superuser."""

import pytest
from django.contrib.auth.models import User

from canvas.models import Canvas
from coordinator import engine
from tests.cli import PLAN_YAML, fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import wait_for
from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db(transaction=True)


def test_charlie_cannot_see_alices_canvas_or_runs(alice, charlie, engine_settings):
    canvas = team_canvas(alice)
    run = wait_for(engine.start_run(canvas, user=alice, query="What was our revenue?"))
    for args in (
        ("run", "team-canvas", "--query", "hi"),
        ("run", str(canvas.pk), "--detach"),
        ("export", "team-canvas"),
        ("list", "--canvas", "team-canvas"),
        ("import", "-", "--canvas", "team-canvas"),
    ):
        result = workflow(*args, "--user", "charlie")
        assert (result.code, result.err.strip()) == (
            2,
            "error: no canvas 'team-canvas' visible to charlie",
        ) or (
            result.code,
            result.err.strip(),
        ) == (2, f"error: no canvas '{canvas.pk}' visible to charlie"), args
    for args in (("status", str(run.pk)), ("logs", str(run.pk)), ("intervene", str(run.pk), "hi")):
        result = workflow(*args, "--user", "charlie")
        assert (result.code, result.err.strip()) == (
            2,
            f"error: no run '{run.pk}' visible to charlie",
        ), args
    assert canvas.runs.count() == 1


def test_a_team_member_sees_a_shared_canvas(alice, bob, team, engine_settings):
    team_canvas(alice, team=team)
    result = workflow("run", "team-canvas", "--query", "What was our revenue?", "--user", "bob")
    assert result.code == 0, result.err
    assert "Revenue grew" in result.out


def test_without_user_it_acts_as_the_only_superuser(alice, tmp_path):
    User.objects.create_superuser("root", "root@example.com", "root-pass-123")
    source = tmp_path / "plan.yaml"
    source.write_text(PLAN_YAML)
    assert workflow("import", str(source)).code == 0
    assert Canvas.objects.get().owner.username == "root"


def test_without_user_and_no_single_superuser_it_lists_the_choice(alice, bob):
    result = workflow("list")
    assert result.code == 2
    assert (
        result.err.strip()
        == "error: no superuser to act as; pass --user USERNAME (users: alice, bob)"
    )
    User.objects.create_superuser("root", "root@example.com", "x")
    User.objects.create_superuser("admin", "admin@example.com", "x")
    result = workflow("list")
    assert (
        result.err.strip()
        == "error: several superusers (admin, root); choose one with --user USERNAME"
    )


def test_user_may_come_before_the_subcommand(alice, tmp_path):
    source = tmp_path / "plan.yaml"
    source.write_text(PLAN_YAML)
    assert workflow("--user", "alice", "import", str(source)).code == 0
    assert Canvas.objects.get().owner == alice
