"""`workflow inbox` lists the items waiting for you; `workflow decide ITEM --approve|--reject
--comment …` decides them; `workflow run --monitor` says who the run waits for and reports a
rejection instead of the turned-down output."""

import io
import threading
import uuid

import pytest
from rich.console import Console

from canvas.models import Canvas
from coordinator.cli.follow import RunView
from coordinator.cli.monitor import render
from coordinator.models import Run
from tests.cli import fast_password_hashing, workflow  # noqa: F401
from tests.engine_helpers import make_plan_canvas, start, wait_for, wait_until
from tests.inbox.helpers import gate

pytestmark = pytest.mark.django_db(transaction=True)


def test_bob_lists_and_approves_his_item(alice, bob, engine_settings):
    canvas = make_plan_canvas(alice, "gated", gate("bob"))
    run = wait_for(start(alice, gate("bob"), canvas=canvas), statuses=("waiting",))
    item = run.approvals.get()

    listed = workflow("inbox", "--user", "bob")
    assert listed.code == 0, listed.err
    header, row = listed.out.splitlines()
    assert header.split()[:4] == ["ITEM", "KIND", "CANVAS", "STEP"]
    assert row.split()[:5] == [str(item.pk)[:8], "approval", "gated", "review", "alice"]
    assert "Publish the draft?" in row
    assert workflow("inbox", "--user", "alice").err.startswith("nothing in alice's inbox")

    refused = workflow("decide", str(item.pk)[:8], "--reject", "--user", "bob")
    assert refused.code == 2 and "comment: a rejection needs a reason" in refused.err
    decided = workflow("decide", str(item.pk)[:8], "--approve", "--comment", "ok", "--user", "bob")
    assert decided.code == 0, decided.err
    assert decided.out.strip() == f"item {item.pk} approved by bob"
    assert wait_for(run).status == "succeeded"
    again = workflow("decide", str(item.pk), "--approve", "--user", "bob")
    assert again.code == 2 and "already approved" in again.err
    stranger = workflow("decide", str(item.pk), "--approve", "--user", "alice")
    assert stranger.code == 2 and f"no item '{item.pk}' for alice" in stranger.err


def test_a_rejected_run_reports_the_rejection_not_the_draft(alice, bob, engine_settings):
    make_plan_canvas(alice, "gated", gate("bob"))
    result = {}

    def follow():
        result["r"] = workflow("run", "gated", "--plain", "--user", "alice")

    thread = threading.Thread(target=follow)
    thread.start()
    run = wait_until(lambda: Run.objects.filter(status="waiting").first(), what="a waiting run")
    item = run.approvals.get()
    workflow("decide", str(item.pk), "--reject", "--comment", "numbers are off", "--user", "bob")
    thread.join(timeout=30)

    assert result["r"].code == 1
    assert result["r"].out == ""
    assert "review: rejected by bob: numbers are off" in result["r"].err


def test_the_monitor_says_who_it_waits_for_and_shows_a_rejection():
    run = Run(id=uuid.uuid4(), canvas=Canvas(slug="docs", name="Docs"), query="")
    view = RunView(run)
    view.status = "running"

    def text():
        out = io.StringIO()
        Console(file=out, width=140, color_system=None).print(render(view))
        return out.getvalue()

    at = "2026-11-21T10:00:01.000Z"
    view.apply(
        {
            "seq": 1,
            "type": "approval.requested",
            "step": "review",
            "at": at,
            "data": {"prompt": "Publish?", "assignee": "reviewer"},
        }
    )
    assert "● waiting for reviewer  docs" in text()
    assert "waiting for reviewer at review: Publish?" in text()
    view.apply(
        {
            "seq": 2,
            "type": "approval.reassigned",
            "step": "review",
            "at": at,
            "data": {"from": "reviewer", "to": "group:finance"},
        }
    )
    assert "waiting for group finance" in text()
    view.apply(
        {
            "seq": 3,
            "type": "approval.decided",
            "step": "review",
            "at": at,
            "data": {"status": "rejected", "by": "ann", "comment": "not yet"},
        }
    )
    assert "waiting for" not in text()
    assert "✗ review rejected by ann: not yet" in text()
