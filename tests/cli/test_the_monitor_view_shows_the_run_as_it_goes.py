"""The live view is a pure function of the events seen so far: status, the five phases
with durations and decisions, the steps, the streaming agent's output, who is waited on."""

import io
import uuid

from rich.console import Console

from canvas.models import Canvas
from coordinator.cli.follow import RunView
from coordinator.cli.monitor import render
from coordinator.models import Run


def message(seq: int, type_: str, *, phase=None, step=None, agent=None, **data) -> dict:
    return {
        "seq": seq,
        "run": "r",
        "type": type_,
        "phase": phase,
        "step": step,
        "agent": agent,
        "at": f"2026-11-21T10:00:{seq:02d}.000Z",
        "data": data,
    }


def text_of(view: RunView) -> str:
    out = io.StringIO()
    Console(file=out, width=140, color_system=None).print(render(view))
    return out.getvalue()


def view_of(*messages: dict) -> RunView:
    run = Run(id=uuid.uuid4(), canvas=Canvas(slug="docs", name="Docs"), query="Revenue?")
    view = RunView(run)
    for m in messages:
        view.apply(m)
    return view


STARTED = [
    message(1, "run.queued", query="Revenue?"),
    message(2, "run.started"),
    message(3, "step.started", step="coord", type="coordinator", attempt=1),
    message(4, "phase.started", phase="complexity", step="coord"),
    message(
        5,
        "phase.completed",
        phase="complexity",
        step="coord",
        duration_ms=12,
        decision={"level": "LOW", "candidates": [{"slug": "sales", "score": 0.81}]},
    ),
    message(
        6,
        "phase.completed",
        phase="selection",
        step="coord",
        duration_ms=1,
        decision={"agents": ["sales"]},
    ),
    message(7, "step.started", step="coord.s1-sales", agent="sales", type="agent", attempt=1),
    message(8, "agent.delta", step="coord.s1-sales", agent="sales", text="Revenue grew "),
    message(9, "agent.delta", step="coord.s1-sales", agent="sales", text="12% in Q3."),
]


def test_a_running_coordinator_shows_its_phases_steps_and_streamed_output():
    text = text_of(view_of(*STARTED))
    assert "running" in text and "docs" in text and "query: Revenue?" in text
    assert "complexity  done" in text and "LOW (candidates: sales 0.81)" in text
    assert "selection   done" in text and "agents: sales" in text
    lines = [line.split() for line in text.splitlines()]
    for phase in ("planning", "execution", "synthesis"):
        assert [phase, "pending", "-"] in lines
    assert ["coord.s1-sales", "agent", "sales", "running"] in [line[:4] for line in lines]
    assert "output · coord.s1-sales sales" in text
    assert "Revenue grew 12% in Q3." in text


def test_an_approval_shows_who_is_waited_on_until_it_is_decided():
    asked = message(10, "approval.requested", step="review", prompt="Please review the summary")
    view = view_of(*STARTED, asked)
    assert "waiting for a reviewer at review: Please review the summary" in text_of(view)
    view.apply(message(11, "approval.decided", step="review", approved=True))
    assert "waiting for a reviewer" not in text_of(view)


def test_the_end_of_the_run_marks_phases_that_never_ran_and_hides_the_stream():
    view = view_of(
        *STARTED,
        message(10, "step.failed", step="coord.s1-sales", agent="sales", error="boom"),
        message(11, "run.failed", error="coord: boom"),
    )
    text = text_of(view)
    assert "failed" in text
    assert ["planning", "not", "run", "-"] in [line.split() for line in text.splitlines()]
    assert "output ·" not in text
    assert "boom" in text
