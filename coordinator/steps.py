"""What each step type does when it runs. Executors return an Outcome; they never record it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from coordinator import clock, outbox
from coordinator.agents import AgentCall, AgentError, AgentTimeout, invoke
from coordinator.context import expression_context, history_for
from coordinator.events import DeltaBuffer
from coordinator.expressions import ExpressionError, is_true, render
from coordinator.models import Run, StepRun
from coordinator.outcomes import ChildSpec, Failed, Outcome, Succeeded, Waiting
from coordinator.tenancy import principal

DEFAULT_AGENT_TIMEOUT = 300.0


def execute(row: StepRun, run: Run) -> Outcome:
    executor = EXECUTORS.get(row.type)
    if executor is None:
        return Failed(error=f"unknown step type {row.type!r}", retryable=False)
    try:
        return executor(row, run)
    except ExpressionError as exc:
        return Failed(error=f"expression error: {exc}", retryable=False)


def context_for(run: Run, row: StepRun | None = None) -> dict:
    rows = list(StepRun.objects.filter(run=run, superseded=False))
    return expression_context(run, rows)


def _deps_context(run: Run, row: StepRun) -> dict:
    """Without templates a step only needs its dependencies' outputs: load just those (or
    take them from the rows advance() loaded when it claimed this step a moment ago)."""
    loaded = getattr(row, "siblings", None)
    if loaded is not None and all(d in loaded for d in row.depends_on):
        rows = [loaded[d] for d in row.depends_on]
    else:
        rows = list(StepRun.objects.filter(run=run, superseded=False, step_id__in=row.depends_on))
    return expression_context(run, rows) if rows else {"steps": {}}


def _templated(*values) -> bool:
    import json

    return any(
        v and "{{" in (v if isinstance(v, str) else json.dumps(v, default=str)) for v in values
    )


# ---------------------------------------------------------------------------- agent


def idempotency_key(row: StepRun) -> str:
    """The same for every execution of one attempt of one step of one run."""
    return f"{row.run_id}:{row.step_id}:{row.attempt}"


def execute_agent(row: StepRun, run: Run) -> Outcome:
    from canvas.agent_kinds import validate_kind_config
    from canvas.models import Agent

    recovered = outbox.recovered(row)
    if recovered is not None:  # the agent already ran; a worker died before recording it
        if row.spec.get("pipeline_next"):
            PipelineSpawner(row).finish(recovered.output)  # spawning twice inserts nothing
        return recovered
    spec = row.spec
    slug = row.agent or spec.get("agent")
    agent = Agent.objects.filter(enabled=True).resolve(principal(run), slug)
    if agent is None:
        return Failed(error=f"agent {slug!r} does not exist, is not yours to use, or is disabled")
    problems = validate_kind_config(agent.kind, agent.kind_config, settings.BATON_PYTHON_AGENTS)
    if problems:  # e.g. a config saved before keys moved to Connections
        first = problems[0]
        return Failed(
            error=f"agent {agent.slug}: {first['field']}: {first['message']}", retryable=False
        )
    ctx = (
        context_for(run, row)
        if _templated(spec.get("query"), spec.get("input"))
        else _deps_context(run, row)
    )
    query = render(spec["query"], ctx) if spec.get("query") else run.query
    step_input = render(spec.get("input") or {}, ctx) if spec.get("input") else {}
    if row.input is not None:  # a pipeline item or a generated input
        step_input = {**(step_input or {}), "item": row.input}
    if agent.kind == "canvas":
        return _nested_canvas_agent(row, run, agent, str(query))
    payload = {
        "query": str(query),
        "history": history_for(run, spec.get("context_policy"), _model_name(agent)),
        "input": step_input,
        "context": _dependency_outputs(row, ctx),
    }
    timeout = float(spec.get("timeout_seconds") or DEFAULT_AGENT_TIMEOUT)
    deltas = DeltaBuffer(run.pk, row.step_id, agent.slug)
    pipeline = PipelineSpawner(row) if spec.get("pipeline_next") else None
    call = AgentCall(
        slug=agent.slug,
        kind=agent.kind,
        config=agent.kind_config,
        payload=payload,
        timeout=timeout,
        on_delta=deltas.add,
        on_item=pipeline.spawn if pipeline else None,
        owner=agent.owner,
        run_user=principal(run),
        idempotency_key=idempotency_key(row),
    )
    try:
        result = invoke(call)
    except AgentTimeout as exc:
        return Failed(error=f"agent {agent.slug} timed out: {exc}")
    except AgentError as exc:
        return Failed(error=f"agent {agent.slug} failed: {exc}")
    finally:
        deltas.flush()
    outbox.write(row, result.output, result.usage)  # before anything else can fail
    if pipeline:
        pipeline.finish(result.output)
    return Succeeded(output=result.output, usage=result.usage)


def _model_name(agent) -> str | None:
    return agent.kind_config.get("model") if agent.kind == "llm" else None


def _dependency_outputs(row: StepRun, ctx: dict) -> dict:
    steps = ctx["steps"]
    return {d: steps[d]["output"] for d in row.depends_on if d in steps}


def _nested_canvas_agent(row: StepRun, run: Run, agent, query: str) -> Outcome:
    from canvas.models import Canvas

    canvas = Canvas.objects.resolve(principal(run), agent.kind_config.get("canvas"))
    if canvas is None:
        return Failed(
            error=f"agent {agent.slug}: canvas {agent.kind_config.get('canvas')!r} not found"
        )
    max_depth = min(int(agent.kind_config.get("max_depth", 3)), settings.BATON_MAX_NESTING)
    if run.depth + 1 > max_depth:
        return Failed(
            error=f"agent {agent.slug}: nesting deeper than {max_depth} refused", retryable=False
        )
    history = [*run.history, *[{"role": "user", "content": i["text"]} for i in run.interventions]]
    return Waiting(nested_run={"canvas_id": str(canvas.pk), "query": query, "history": history})


class PipelineSpawner:
    """Pipeline pattern: each item a stage produces becomes the next stage's input at once."""

    def __init__(self, row: StepRun):
        self.row = row
        self.count = 0
        self.streamed = False

    def spawn(self, item) -> None:
        from django.db import transaction

        from coordinator import dispatch, engine

        self.streamed = True
        self.count += 1
        child = self._child(item, self.count)
        with transaction.atomic():
            engine.add_children(self.row.run_id, _Parent(self.row.parent), [child])
            dispatch.enqueue("advance", str(self.row.run_id))

    def finish(self, output) -> None:
        if self.streamed:
            return
        items = output.get("items") or output.get("rows") if isinstance(output, dict) else None
        for item in items if isinstance(items, list) and items else [output]:
            self.spawn(item)

    def _child(self, item, index: int) -> ChildSpec:
        stages = self.row.spec["pipeline_next"]
        stage, rest = stages[0], stages[1:]
        step_id = f"{self.row.step_id}>{stage['stage']}#{index}"[:200]
        spec = {**stage, "pipeline_next": rest} if rest else dict(stage)
        return ChildSpec(step_id=step_id, type="agent", spec=spec, agent=stage["agent"], input=item)


class _Parent:
    def __init__(self, step_id: str):
        self.step_id = step_id


# ---------------------------------------------------------------------------- humans


def execute_human(row: StepRun, run: Run) -> Outcome:
    from coordinator.approvals import resolve_assignee

    spec = row.spec
    ctx = context_for(run)
    assignee = render(spec.get("assignee") or "", ctx)
    user, group, error = resolve_assignee(str(assignee) if assignee else "")
    if error:
        return Failed(error=f"assignee: {error}", retryable=False)
    kind = "approval" if row.type == "human_approval" else "input"
    required = int(spec.get("required_approvals") or 1) if kind == "approval" else 1
    if required > 1:
        if group is None:
            return Failed(
                error=f"required_approvals: {required} approvals need a group:NAME assignee",
                retryable=False,
            )
        members = group.user_set.filter(is_active=True).count()
        if members < required:
            return Failed(
                error=f"required_approvals: group {group.name} has {members} active "
                f"member(s), fewer than the {required} approvals needed",
                retryable=False,
            )
    timeout = spec.get("approval_timeout_seconds") or spec.get("input_timeout_seconds")
    due = clock.now() + timedelta(seconds=timeout) if timeout else None
    return Waiting(
        resume_at=None,
        approval={
            "kind": kind,
            "prompt": str(render(spec.get("prompt") or "", ctx)),
            "form": spec.get("form") if kind == "input" else None,
            "assignee_user": user,
            "assignee_group": group,
            "required_approvals": required,
            "default_action": spec.get("default_action", "fail"),
            "due_at": due,
        },
    )


# ---------------------------------------------------------------------------- logic


def execute_condition(row: StepRun, run: Run) -> Outcome:
    spec = row.spec
    result = is_true(spec["expression"], context_for(run))
    skip = spec.get("if_false", []) if result else spec.get("if_true", [])
    return Succeeded(output={"result": result}, skip=list(skip))


def execute_transform(row: StepRun, run: Run) -> Outcome:
    return Succeeded(output=render(row.spec.get("output"), context_for(run)))


def execute_wait(row: StepRun, run: Run) -> Outcome:
    spec = row.spec
    if spec.get("duration_seconds"):
        return Waiting(resume_at=clock.now() + timedelta(seconds=float(spec["duration_seconds"])))
    return Waiting(output={"waiting_for": spec.get("event")})


def execute_parallel(row: StepRun, run: Run) -> Outcome:
    children = [
        ChildSpec(
            step_id=branch["id"],
            type=branch["type"],
            spec={**branch, "depends_on": []},
            agent=branch.get("agent", "") or "",
        )
        for branch in row.spec.get("branches", [])
    ]
    return Waiting(output={"branches": [c.step_id for c in children]}, children=children)


def execute_sub_plan(row: StepRun, run: Run) -> Outcome:
    from canvas.models import Canvas

    spec = row.spec
    if run.depth + 1 > settings.BATON_MAX_NESTING:
        return Failed(
            error=f"sub-plan nesting deeper than {settings.BATON_MAX_NESTING} refused",
            retryable=False,
        )
    canvas = Canvas.objects.resolve(principal(run), spec["plan"])
    if canvas is None:
        return Failed(error=f"sub-plan {spec['plan']!r} not found", retryable=False)
    step_input = render(spec.get("input") or {}, context_for(run))
    return Waiting(
        nested_run={
            "canvas_id": str(canvas.pk),
            "query": run.query,
            "input": step_input,
            "history": run.history,
        }
    )


def execute_coordinator(row: StepRun, run: Run) -> Outcome:
    from coordinator.coordinator_step import run_coordinator

    return run_coordinator(row, run)


EXECUTORS = {
    "agent": execute_agent,
    "coordinator": execute_coordinator,
    "human_approval": execute_human,
    "human_input": execute_human,
    "condition": execute_condition,
    "parallel": execute_parallel,
    "wait": execute_wait,
    "sub_plan": execute_sub_plan,
    "transform": execute_transform,
}

__all__ = ["EXECUTORS", "execute", "is_true"]
