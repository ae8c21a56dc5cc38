"""Helpers for engine tests: agents, canvases, plans and waiting for runs to settle."""

import time

from canvas.models import Agent, Canvas, CanvasVersion
from canvas.plan import Plan
from coordinator import engine
from coordinator.models import RUN_TERMINAL, Run, RunEvent, StepRun


def make_agent(slug: str, description: str, fn: str | None = None, **fields) -> Agent:
    return Agent.objects.create(
        slug=slug,
        name=fields.pop("name", slug.replace("-", " ").title()),
        description=description,
        kind="python",
        kind_config={"callable": f"tests.engine_agents.{fn or slug}"},
        **fields,
    )


def make_canvas(owner, slug: str = "test-canvas") -> Canvas:
    canvas = Canvas.objects.create(name=slug, slug=slug, owner=owner)
    CanvasVersion.objects.create(canvas=canvas, number=1, author=owner, graph={"nodes": [], "edges": []})
    canvas.latest_version = 1
    canvas.save()
    return canvas


def start(owner, plan: dict, query: str = "", **kwargs) -> Run:
    canvas = kwargs.pop("canvas", None) or make_canvas(owner, slug=f"c-{time.monotonic_ns()}")
    return engine.start_run(canvas, user=owner, query=query, plan=Plan.model_validate(plan), **kwargs)


def wait_for(run: Run, statuses=RUN_TERMINAL, timeout: float = 30.0) -> Run:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in statuses:
            return run
        time.sleep(0.02)
    steps = list(StepRun.objects.filter(run=run).values_list("step_id", "status", "error"))
    raise AssertionError(f"run stayed {run.status}; steps: {steps}")


def event_types(run: Run) -> list[str]:
    return list(RunEvent.objects.filter(run=run).order_by("seq").values_list("type", flat=True))


def step(run: Run, step_id: str) -> StepRun:
    return StepRun.objects.get(run=run, step_id=step_id, superseded=False)
