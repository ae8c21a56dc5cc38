"""Runs for fault tests: a fan-out plan of `effect` steps, started and awaited in bulk."""

from __future__ import annotations

import time

from coordinator.models import RUN_TERMINAL, Run, StepRun
from tests.engine_helpers import make_agent, start

FANOUT = {
    "name": "fanout",
    "steps": [
        {"id": "plan", "type": "agent", "agent": "effect"},
        {"id": "left", "type": "agent", "agent": "effect", "depends_on": ["plan"]},
        {"id": "right", "type": "agent", "agent": "effect", "depends_on": ["plan"]},
        {"id": "merge", "type": "agent", "agent": "effect", "depends_on": ["left", "right"]},
    ],
}


def effect_agent():
    make_agent("effect", "Does real work once per key.", max_concurrency=0)


def start_many(owner, count: int, plan: dict = FANOUT, prefix: str = "run") -> list[Run]:
    return [start(owner, plan, query=f"{prefix} {index}") for index in range(count)]


def settle(runs: list[Run], timeout: float = 120.0) -> list[Run]:
    """Wait (bounded) until every run has ended; then return them fresh from the database."""
    ids = [r.pk for r in runs]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Run.objects.filter(pk__in=ids).exclude(status__in=RUN_TERMINAL).exists():
            break
        time.sleep(0.25)
    return list(Run.objects.filter(pk__in=ids))


def report(runs: list[Run]) -> dict:
    """What a fault cost: runs not succeeded, with their errors and stuck steps."""
    bad = {}
    for run in runs:
        if run.status != "succeeded":
            steps = StepRun.objects.filter(run=run).values_list("step_id", "status", "error")
            bad[str(run.pk)] = (run.status, run.error, list(steps))
    return bad


def expected_keys(runs: list[Run], plan: dict = FANOUT) -> set[str]:
    return {f"{run.pk}:{step['id']}:1" for run in runs for step in plan["steps"]}
