"""Helpers for engine tests: agents, canvases, plans and waiting for runs to settle."""

import time

import pytest
from django.conf import settings

from canvas.models import Agent, Canvas, CanvasVersion
from canvas.plan import Plan
from coordinator import engine
from coordinator.models import RUN_TERMINAL, Run, RunEvent, StepRun

#: tests that patch the test process (settings, dispatch) cannot drive a separate worker process
embedded_only = pytest.mark.skipif(
    settings.DISTRIBUTED, reason="drives the engine in this process (patched dispatch or settings)"
)


def make_agent(slug: str, description: str, fn: str | None = None, **fields) -> Agent:
    """A system agent shared with every team (pass owner=… for a private one)."""
    fields.setdefault("shared_with_all_teams", "owner" not in fields)
    return Agent.objects.create(
        slug=slug,
        name=fields.pop("name", slug.replace("-", " ").title()),
        description=description,
        kind="python",
        kind_config={"callable": f"tests.engine_agents.{fn or slug}"},
        **fields,
    )


def make_connection(api_base: str, key: str = "test-key", name: str = "test-models", **fields):
    """A staff-made connection to a test server, usable by every team; its key is a Secret
    read from an environment variable only staff chose."""
    import os

    from canvas.models import Connection, Secret

    env_var = f"BATON_TEST_SECRET_{name.upper().replace('-', '_')}"
    os.environ[env_var] = key
    secret = Secret.objects.create(name=f"{name}-key", source="env", env_var=env_var)
    fields.setdefault("all_teams", True)
    fields.setdefault("model_patterns", ["openai/*"])
    return Connection.objects.create(name=name, api_base=api_base, secret=secret, **fields)


def make_canvas(owner, slug: str = "test-canvas") -> Canvas:
    canvas = Canvas.objects.create(name=slug, slug=slug, owner=owner)
    CanvasVersion.objects.create(
        canvas=canvas, number=1, author=owner, graph={"nodes": [], "edges": []}
    )
    canvas.latest_version = 1
    canvas.save()
    return canvas


def start(owner, plan: dict, query: str = "", **kwargs) -> Run:
    canvas = kwargs.pop("canvas", None) or make_canvas(owner, slug=f"c-{time.monotonic_ns()}")
    return engine.start_run(
        canvas, user=owner, query=query, plan=Plan.model_validate(plan), **kwargs
    )


#: how long a test waits for the engine before it gives up: a bound on a failing test's
#: duration, never a speed requirement, so generous (importing litellm alone takes ~40 s
#: on a machine with a load average of 12)
GIVE_UP_SECONDS = 120.0


def wait_for(run: Run, statuses=RUN_TERMINAL, timeout: float = GIVE_UP_SECONDS) -> Run:
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


def events(run: Run, type_: str) -> list[RunEvent]:
    return list(RunEvent.objects.filter(run=run, type=type_).order_by("seq"))


def rows(run: Run, **filters) -> list[StepRun]:
    """Every StepRun of a run (superseded attempts included), oldest first."""
    return list(StepRun.objects.filter(run=run, **filters).order_by("id"))


def wait_until(predicate, timeout: float = GIVE_UP_SECONDS, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def make_plan_canvas(owner, slug: str, plan: dict, **fields) -> Canvas:
    """A canvas whose saved graph compiles to `plan` (for sub_plan steps and nested runs)."""
    from canvas.graph import plan_to_graph

    canvas = Canvas.objects.create(name=slug, slug=slug, owner=owner, **fields)
    graph = plan_to_graph(Plan.model_validate(plan))
    CanvasVersion.objects.create(canvas=canvas, number=1, author=owner, graph=graph)
    canvas.latest_version = 1
    canvas.save()
    return canvas


class ManualDispatch:
    """Stands in for dispatch._send: tasks are queued, not run, so a test decides when (and how
    often) each is delivered. Tasks with a countdown are kept apart and never run by drain()."""

    def __init__(self):
        self.queue: list[tuple[str, tuple]] = []
        self.delayed: list[tuple[str, tuple, float]] = []

    def send(self, task_name: str, args: tuple, countdown: float | None, held=None) -> None:
        # delivered as a message is (a copy from the broker): what was held in memory is dropped
        if countdown and countdown > 0:
            self.delayed.append((task_name, args, countdown))
        else:
            self.queue.append((task_name, args))

    def take(self, task_name: str) -> tuple:
        for index, (name, args) in enumerate(self.queue):
            if name == task_name:
                del self.queue[index]
                return args
        raise AssertionError(f"no {task_name} task queued; queue: {self.queue}")

    def drain(self, only: tuple[str, ...] | None = None, limit: int = 200) -> int:
        """Deliver queued tasks (and what they enqueue) once each, in order, in this thread;
        with `only`, just the tasks of those names (the others stay queued)."""
        delivered = 0
        while True:
            pending = [i for i, (name, _) in enumerate(self.queue) if only is None or name in only]
            if not pending:
                return delivered
            name, args = self.queue.pop(pending[0])
            getattr(engine, name)(*args)
            delivered += 1
            assert delivered < limit, "tasks keep enqueueing tasks"
