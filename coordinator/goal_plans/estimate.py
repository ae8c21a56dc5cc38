"""How long a plan should take, from the agents' recorded step latencies.

Each agent's latency is the median duration of its last 50 succeeded steps; an agent with
no history counts DEFAULT_SECONDS. The plan's estimate is its critical path (the longest
chain of dependencies); time spent waiting for people is not estimated."""

from __future__ import annotations

from statistics import median

from coordinator.models import StepRun

DEFAULT_SECONDS = 30.0
SAMPLE = 50


def recorded_latencies(slugs: set[str]) -> dict[str, tuple[float, int]]:
    """slug → (median seconds, runs measured) for agents with recorded successful steps."""
    found: dict[str, tuple[float, int]] = {}
    for slug in slugs:
        rows = (
            StepRun.objects.filter(
                agent=slug, status="succeeded", started_at__isnull=False, finished_at__isnull=False
            )
            .order_by("-finished_at")
            .values_list("started_at", "finished_at")[:SAMPLE]
        )
        durations = [(end - start).total_seconds() for start, end in rows]
        if durations:
            found[slug] = (round(median(durations), 3), len(durations))
    return found


def estimate(plan, latencies: dict[str, tuple[float, int]]) -> tuple[float, list[dict]]:
    """(critical-path seconds, per-step estimates) for a plan of agent and approval steps."""
    per_step: list[dict] = []
    own: dict[str, float] = {}
    for step in plan.steps:
        if step.type == "agent":
            seconds, runs = latencies.get(step.agent, (DEFAULT_SECONDS, 0))
            source = f"median of {runs} recorded run(s)" if runs else "no history: assumed"
        else:
            seconds, source = 0.0, "waits for a person (not estimated)"
        own[step.id] = seconds
        per_step.append({"id": step.id, "estimated_seconds": seconds, "estimate_source": source})
    deps = {step.id: list(step.depends_on) for step in plan.steps}
    finish: dict[str, float] = {}

    def finished(step_id: str) -> float:  # validated plans have no cycles
        if step_id not in finish:
            start = max((finished(d) for d in deps.get(step_id, ()) if d in deps), default=0.0)
            finish[step_id] = start + own.get(step_id, 0.0)
        return finish[step_id]

    total = max((finished(step_id) for step_id in deps), default=0.0)
    return round(total, 3), per_step
