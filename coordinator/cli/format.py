"""Plain-text formatting for the `workflow` command: event lines, tables, run reports.

Plain text (no colour, no wrapping) so the output greps, pipes and diffs; the live rich
view is coordinator/cli/monitor.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from coordinator.models import RUN_TERMINAL, Run, StepRun

PHASES = ("complexity", "selection", "planning", "execution", "reflection", "synthesis")


# ---------------------------------------------------------------------------- small values


def clip(text: Any, width: int = 80) -> str:
    """One line of at most `width` characters."""
    line = " ".join(str(text if text is not None else "").split())
    return line if len(line) <= width else line[: max(width - 1, 0)] + "…"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"
    return f"{int(seconds // 3600)}h{int(seconds % 3600 // 60):02d}m"


def duration_ms(ms: float | None) -> str:
    return duration(ms / 1000) if ms is not None else "-"


def between(start: datetime | None, end: datetime | None) -> float | None:
    """Seconds from start to end (now, for something still going); None before it started."""
    if start is None:
        return None
    return ((end or timezone.now()) - start).total_seconds()


def when(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def event_time(at: str | datetime) -> str:
    """An event's time as ISO 8601 UTC with milliseconds: 2026-11-21T10:00:00.123Z."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def run_duration(run: Run) -> str:
    seconds = between(run.started_at, run.finished_at)
    if seconds is not None and run.status not in RUN_TERMINAL:
        return duration(seconds) + "+"  # still going
    return duration(seconds)


def step_duration(step: StepRun) -> str:
    seconds = between(step.started_at, step.finished_at)
    if seconds is not None and step.finished_at is None:
        return duration(seconds) + "+"
    return duration(seconds)


def table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Left-aligned columns, two spaces apart; the last column is not padded."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return [
        "  ".join(
            cell if i == len(row) - 1 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in cells
    ]


# ---------------------------------------------------------------------------- decisions


def decision_summary(phase: str, decision: Any) -> str:
    """One line saying what a Coordinator phase decided."""
    if not isinstance(decision, dict):
        return clip(decision, 100) if decision else ""
    if phase == "complexity":
        level = decision.get("level", "?")
        candidates = ", ".join(
            f"{c.get('slug')} {float(c.get('score', 0)):.2f}"
            for c in (decision.get("candidates") or [])[:4]
        )
        return f"{level}" + (f" (candidates: {candidates})" if candidates else "")
    if phase == "selection":
        agents = decision.get("agents") or []
        return "agents: " + (", ".join(agents) if agents else "none")
    if phase == "planning":
        stages = decision.get("stages") or []
        chain = ", ".join(f"{s.get('id')}→{s.get('agent')}" for s in stages[:6])
        return f"{decision.get('pattern', '?')}: {chain}" if chain else decision.get("pattern", "")
    if phase == "execution":
        counts = [f"{n} {k}" for k, n in decision.items() if isinstance(n, int) and n]
        return ", ".join(counts) or "nothing ran"
    if phase == "reflection":
        verdict = "satisfied" if decision.get("satisfied") else "not satisfied"
        retry = decision.get("retry_agents") or []
        return verdict + (f"; retry {', '.join(retry)}" if retry else "")
    if phase == "synthesis":
        parts = [f"answer {len(decision.get('answer') or '')} chars"]
        if decision.get("insights"):
            parts.append(f"{len(decision['insights'])} insights")
        if decision.get("failed_agents"):
            parts.append("failed: " + ", ".join(decision["failed_agents"]))
        return ", ".join(parts)
    return clip(json.dumps(decision, default=str), 100)


# ---------------------------------------------------------------------------- events


def _kv(data: dict, width: int = 120) -> str:
    parts = []
    for key, value in data.items():
        if isinstance(value, str):
            parts.append(f"{key}={json.dumps(clip(value, 60), ensure_ascii=False)}")
        else:
            parts.append(f"{key}={clip(json.dumps(value, default=str, ensure_ascii=False), 60)}")
    return clip(" ".join(parts), width)


def event_summary(message: dict) -> str:
    """The data of an event in a few words."""
    kind, data = message["type"], message.get("data") or {}
    if kind == "phase.completed":
        text = duration_ms(data.get("duration_ms"))
        if data.get("error"):
            return f"{text} error={json.dumps(clip(data['error'], 100))}"
        summary = decision_summary(message.get("phase") or "", data.get("decision"))
        return f"{text} {summary}".strip()
    if kind == "agent.delta":
        return json.dumps(clip(data.get("text", ""), 100), ensure_ascii=False)
    if kind in ("step.succeeded", "agent.succeeded"):
        text = duration_ms(data.get("duration_ms"))
        if data.get("preview"):
            text += " " + json.dumps(clip(data["preview"], 80), ensure_ascii=False)
        return text
    if kind == "run.succeeded":
        return "answer=" + json.dumps(clip(data.get("answer", ""), 80), ensure_ascii=False)
    if kind in ("run.failed", "run.timed_out", "run.cancelled"):
        if data.get("error"):
            return "error=" + json.dumps(clip(data["error"], 100), ensure_ascii=False)
        return ""
    return _kv(data)


def event_line(message: dict) -> str:
    """seq time type phase/step agent data-summary"""
    where = "/".join(p for p in (message.get("phase"), message.get("step")) if p) or "-"
    return (
        f"{message['seq']:>4} {event_time(message['at'])} {message['type']:<17} "
        f"{where:<22} {message.get('agent') or '-':<12} {event_summary(message)}"
    ).rstrip()


# ---------------------------------------------------------------------------- reports


def run_rows(runs) -> list[str]:
    rows = [
        [
            str(run.pk),
            run.canvas.slug,
            run.status,
            when(run.created),
            run_duration(run),
            clip(run.query, 60) or "-",
        ]
        for run in runs
    ]
    return table(["ID", "CANVAS", "STATUS", "CREATED", "DURATION", "QUERY"], rows)


def phase_lines(steps: list[StepRun]) -> list[str]:
    """The Coordinator phases of each coordinator step, with durations and decisions."""
    lines = []
    for step in steps:
        if step.type != "coordinator" or step.superseded:
            continue
        phases = (step.output or {}).get("phases") or {}
        rows = [
            [
                name,
                duration_ms(phases[name].get("duration_ms")),
                clip(decision_summary(name, phases[name].get("decision")), 100),
            ]
            for name in [*PHASES, *[p for p in phases if p not in PHASES]]
            if name in phases
        ]
        lines.append(f"Phases ({step.step_id}):")
        if rows:
            lines += ["  " + line for line in table(["PHASE", "TOOK", "DECISION"], rows)]
        else:
            lines.append("  (no phase finished yet)")
    return lines


def step_lines(steps: list[StepRun]) -> list[str]:
    rows = [
        [
            step.step_id,
            step.type,
            step.agent or "-",
            step.status,
            step.attempt,
            step_duration(step),
            clip(step.error, 60) if step.error else "",
        ]
        for step in steps
        if not step.superseded
    ]
    return table(["STEP", "TYPE", "AGENT", "STATUS", "TRY", "DURATION", "ERROR"], rows)


def status_report(run: Run) -> str:
    steps = list(run.steps.order_by("id"))
    version = f" v{run.version.number}" if run.version else ""
    by = f" by {run.created_by.username}" if run.created_by else ""
    lines = [
        f"Run       {run.pk}",
        f"Canvas    {run.canvas.slug}{version} ({run.canvas.name})",
        f"Query     {clip(run.query, 200) or '-'}",
        f"Status    {run.status}",
    ]
    if run.current_step and run.status not in RUN_TERMINAL:
        lines.append(f"Current   {run.current_step}")
    lines += [
        f"Created   {when(run.created)}{by} (trigger: {run.trigger})",
        f"Started   {when(run.started_at)}",
        f"Finished  {when(run.finished_at)}",
        f"Duration  {run_duration(run)}",
    ]
    usage = run.usage or {}
    if usage:
        tokens = (usage.get("prompt_tokens") or 0) + (usage.get("completion_tokens") or 0)
        lines.append(f"Usage     {tokens} tokens, ${float(usage.get('cost_usd') or 0):.4f}")
    done = sum(1 for s in steps if not s.superseded and s.status in ("succeeded", "skipped"))
    live = [s for s in steps if not s.superseded]
    lines.append(f"Progress  {done}/{len(live)} steps done")
    pending = list(run.approvals.filter(status="pending").select_related("step_run"))
    for approval in pending:
        lines.append(
            f"Waiting   {approval.kind} at {approval.step_run.step_id}: {clip(approval.prompt, 80)}"
        )
    for entry in run.interventions or []:
        lines.append(f"Intervene {clip(entry.get('text'), 100)} (by {entry.get('by') or '?'})")
    lines.append("")
    phase = phase_lines(steps)
    if phase:
        lines += [*phase, ""]
    lines += ["Steps:", *["  " + line for line in step_lines(steps)]]
    if run.error:
        lines += ["", f"Error: {run.error}"]
    result = run.result or {}
    if result.get("failed_agents"):
        lines += ["", "Failed agents: " + ", ".join(result["failed_agents"])]
    if result.get("answer"):
        lines += ["", "Answer:", result["answer"]]
    return "\n".join(lines)
