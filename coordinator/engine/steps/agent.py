"""The agent step: one call of an agent, its result written to the outbox first; the
pipeline pattern spawns the next stage for each item the agent produces."""

from __future__ import annotations

from django.conf import settings

from canvas.agent_kinds import validate_kind_config
from canvas.models import Canvas
from coordinator import outbox
from coordinator.agents import AgentCall, AgentError, AgentTimeout, invoke
from coordinator.context import history_for
from coordinator.engine import store
from coordinator.engine.core.outcomes import ChildSpec, Failed, Outcome, Succeeded, Waiting
from coordinator.engine.core.state import EngineState
from coordinator.engine.steps.common import context_for, deps_context, templated
from coordinator.expressions import render
from coordinator.models import Run, StepRun
from coordinator.tenancy import principal, run_agents
from coordinator.transport import dispatch
from coordinator.transport.events import DeltaBuffer

DEFAULT_AGENT_TIMEOUT = 300.0


# ---------------------------------------------------------------------------- agent


def idempotency_key(row: StepRun) -> str:
    """The same for every execution of one attempt of one step of one run."""
    return f"{row.run_id}:{row.step_id}:{row.attempt}"


def execute_agent(row: StepRun, run: Run) -> Outcome:
    recovered = outbox.recovered(row)
    if recovered is not None:  # the agent already ran; a worker died before recording it
        if EngineState.of(row).pipeline_next:
            PipelineSpawner(row).finish(recovered)  # spawning twice inserts nothing
        return recovered
    spec = row.spec
    slug = row.agent or spec.get("agent")
    agent = run_agents(run, [slug]).get(slug)
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
        if templated(spec.get("query"), spec.get("input"))
        else deps_context(run, row)
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
    pipeline = PipelineSpawner(row) if EngineState.of(row).pipeline_next else None
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
    # Saved to the outbox by the runner, in the transaction that records it when it can.
    outcome = Succeeded(output=result.output, usage=result.usage, saved=False)
    if pipeline:
        pipeline.finish(outcome)
    return outcome


def _model_name(agent) -> str | None:
    return agent.kind_config.get("model") if agent.kind == "llm" else None


def _dependency_outputs(row: StepRun, ctx: dict) -> dict:
    steps = ctx["steps"]
    return {d: steps[d]["output"] for d in row.depends_on if d in steps}


def _nested_canvas_agent(row: StepRun, run: Run, agent, query: str) -> Outcome:
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
        """An item streamed while the stage still runs: its step is inserted, claimed and
        handed to dispatch (this process's threads when they have room) in one transaction,
        not left to an `advance` sent through the broker."""
        self.streamed = True
        # the next stage is the stage's sibling: a child of the same coordinator
        if not store.add_generated(self.row.run, self.row.parent, [self._next(item)]):
            dispatch.enqueue("advance", str(self.row.run_id))

    def finish(self, outcome: Succeeded) -> None:
        """The stage's whole output at once: one step per item, inserted by the transaction
        that records the stage (`outcome.writes`), so the advance that follows the record
        claims them and keeps one for this thread (no message for them), and they exist
        exactly when the output they come from is recorded: no outbox write first."""
        if self.streamed:
            return
        output = outcome.output
        items = output.get("items") or output.get("rows") if isinstance(output, dict) else None
        children = [
            self._next(item) for item in (items if isinstance(items, list) and items else [output])
        ]
        outcome.writes.append(lambda: self._add(children))

    def _add(self, children: list[ChildSpec]) -> None:
        # the run's lock first, as the record takes it next: inserting a step takes a share
        # lock on its run, which two records upgrading at once would deadlock on
        store.lock_run(self.row)
        store.add_children(self.row.run_id, self.row.parent, children)

    def _next(self, item) -> ChildSpec:
        self.count += 1
        return self._child(item, self.count)

    def _child(self, item, index: int) -> ChildSpec:
        stages = EngineState.of(self.row).pipeline_next
        stage, rest = stages[0], stages[1:]
        step_id = f"{self.row.step_id}>{stage['stage']}#{index}"[:200]
        state = EngineState(pipeline_next=rest).stored()
        return ChildSpec(
            step_id=step_id,
            type="agent",
            spec=dict(stage),
            agent=stage["agent"],
            input=item,
            state=state,
        )
