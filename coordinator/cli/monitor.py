"""The live terminal view of `workflow run --monitor` (rich): status, the Coordinator's
phases with durations and decisions, the steps, streamed output, waiting approvals."""

from __future__ import annotations

from django.utils import timezone
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coordinator.cli.follow import RunView, follow
from coordinator.cli.format import between, duration, duration_ms
from coordinator.models import Run, StepRun

STYLES = {
    "queued": "dim",
    "pending": "dim",
    "running": "cyan",
    "retrying": "yellow",
    "waiting": "magenta",
    "paused": "yellow",
    "done": "green",
    "succeeded": "green",
    "skipped": "dim",
    "not run": "dim",
    "failed": "bold red",
    "timed_out": "bold red",
    "cancelled": "yellow",
}
OUTPUT_LINES = 10


def _status(status: str) -> Text:
    return Text(status, style=STYLES.get(status, ""))


def _took(state: dict) -> str:
    if state.get("duration_ms") is not None:
        return duration_ms(state["duration_ms"])
    if state.get("started") and state.get("status") in ("running", "retrying", "waiting"):
        return duration(between(state["started"], timezone.now())) + "+"
    return "-"


def render(view: RunView) -> RenderableType:
    """The whole view as one rich renderable (a pure function of the RunView)."""
    elapsed = between(view.started_at, view.finished_at)
    status = _status(view.status)
    if view.waiting_for and not view.ended and view.status != "paused":
        who = ", ".join(dict.fromkeys(view.waiting_for.values()))
        status = Text(f"waiting for {who}", style=STYLES["waiting"])
    header = Text.assemble(
        ("● ", STYLES.get("waiting" if view.waiting_for else view.status, "")),
        status,
        "  ",
        (view.canvas, "bold"),
        f"  run {view.run_id}",
        f"  {duration(elapsed)}" if elapsed is not None else "",
    )
    parts: list[RenderableType] = [header]
    if view.query:
        parts.append(Text(f"query: {view.query}", style="dim", overflow="ellipsis", no_wrap=True))

    if view.phases:
        phases = Table(title="Coordinator", title_justify="left", expand=True, box=None)
        phases.add_column("phase", no_wrap=True)
        phases.add_column("status", no_wrap=True)
        phases.add_column("took", justify="right", no_wrap=True)
        phases.add_column("decision", overflow="fold", ratio=1)
        several = len(view.phases) > 1
        for step, name, state in view.phase_rows():
            status = state["status"]
            if view.ended and status == "pending":
                status = "not run"
            phases.add_row(
                f"{step}:{name}" if several else name,
                _status(status),
                _took(state),
                state.get("summary", ""),
            )
        parts.append(phases)

    if view.steps:
        steps = Table(title="Steps", title_justify="left", expand=True, box=None)
        steps.add_column("step", overflow="fold", ratio=3)
        steps.add_column("type", no_wrap=True, max_width=14, overflow="ellipsis")
        steps.add_column("agent", no_wrap=True, max_width=20, overflow="ellipsis")
        steps.add_column("status", no_wrap=True, min_width=9)
        steps.add_column("took", no_wrap=True, min_width=6, justify="right")
        steps.add_column("note", overflow="ellipsis", no_wrap=True, ratio=2)
        for step_id, row in view.steps.items():
            note = row.get("error") or ""
            if row.get("attempt", 1) > 1:
                note = f"attempt {row['attempt']} " + note
            steps.add_row(
                step_id,
                row.get("type") or "",
                row.get("agent") or "-",
                _status(row["status"]),
                _took(row),
                note,
            )
        parts.append(steps)

    for step, prompt in view.waiting.items():
        who = view.waiting_for.get(step, "a person")
        parts.append(Text(f"⏸ waiting for {who} at {step}: {prompt}", style="magenta"))
    for rejection in view.rejections:
        parts.append(Text(f"✗ {rejection}", style="bold red"))
    for text in view.interventions[-3:]:
        parts.append(Text(f"↳ intervention: {text}", style="yellow"))

    streaming = view.streaming if view.streaming in view.output else None
    if streaming and not view.ended:
        tail = "\n".join(view.output[streaming].splitlines()[-OUTPUT_LINES:])
        agent = view.steps.get(streaming, {}).get("agent") or ""
        parts.append(
            Panel(Text(tail), title=f"output · {streaming} {agent}".strip(), title_align="left")
        )
    return Group(*parts)


def monitor(run: Run, console: Console, after: int = 0) -> Run:
    """Show the live view until the run ends; then the answer. Returns the ended run."""
    view = RunView(run)
    with Live(render(view), console=console, refresh_per_second=8, transient=False) as live:

        def sync() -> None:
            view.sync_steps(StepRun.objects.filter(run_id=run.pk, superseded=False).order_by("id"))
            live.update(render(view))

        def refresh() -> None:
            live.update(render(view))

        def on_event(message: dict) -> None:
            view.apply(message)
            if message["type"] != "agent.delta":  # deltas show at the next refresh
                refresh()

        ended = follow(run.pk, after, on_event, on_idle=sync)
        view.status = ended.status
        sync()
    if not console.is_terminal:
        console.line()  # a non-terminal Live leaves its last line open
    answer = (ended.result or {}).get("answer") or ""
    if view.rejections and ended.status != "succeeded":
        # The answer of a rejected run is what the reviewer turned down: not an answer.
        console.print(
            Panel(
                Text("\n".join(view.rejections)),
                title="rejected",
                title_align="left",
                border_style="red",
            )
        )
    elif answer:
        console.print(
            Panel(Markdown(answer), title="answer", title_align="left", border_style="green")
        )
    return ended
