"""The Coordinator step: phases 1–3 then stages spawned as steps (phase 4, run by the engine),
then reflection and synthesis (phase 5) once every stage is done."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count

from canvas.models import Agent
from canvas.plan import CoordinatorStep
from coordinator import clock
from coordinator.credentials import CredentialError, model_for
from coordinator.engine import store
from coordinator.engine.core.outcomes import ChildSpec, Failed, Outcome, Succeeded, Waiting
from coordinator.engine.core.state import EngineState
from coordinator.engine.steps.common import context_for
from coordinator.expressions import render
from coordinator.llm import ModelError, Usage, is_local
from coordinator.models import Run, StepRun, StepStatus
from coordinator.offline import follow_up
from coordinator.phases import complexity, planning, reflection, selection, synthesis
from coordinator.schemas import AgentInfo, AgentOutcome, ExecutionPlan
from coordinator.tenancy import principal, remember_agents
from coordinator.transport.events import emit, emit_many
from coordinator.workbench.examples import learned_examples

MAX_REFLECTION_ROUNDS = 1


class PhaseFailed(Exception):
    pass


class Phases:
    """Runs phases with their events and timings, accumulating usage.

    A model call can take seconds, so each phase's events and decisions are written as they
    happen. The built-in baton/local model decides in well under a millisecond: its events
    and decisions are collected, in order, and go with the pass's outcome, written in the
    transaction that records it (`take`; one commit instead of one per write)."""

    def __init__(self, run: Run, row: StepRun, state: dict, instant: bool = False):
        self.run, self.row, self.instant = run, row, instant
        self.record: dict = dict(state.get("phases") or {})
        self.usage = Usage()
        self._pending: list[tuple[str, dict]] = []
        self._writes: list[Callable[[], object]] = []

    def emit(self, type: str, name: str, data: dict | None = None) -> None:
        self.event(type, {"phase": name, "step": self.row.step_id, "data": data})

    def event(self, type: str, fields: dict) -> None:
        self._pending.append((type, fields))
        if not self.instant:
            self.flush()

    def write(self, fn: Callable[[], object]) -> None:
        self._writes.append(fn)
        if not self.instant:
            self.flush()

    def take(self) -> list[Callable[[], object]]:
        """What is pending, as writes to do in order."""
        writes, self._writes = self._writes, []
        events, self._pending = self._pending, []
        if events:
            writes.append(lambda: emit_many(self.run.pk, events))
        return writes

    def flush(self) -> None:
        for write in self.take():
            write()

    def run_phase(self, name: str, fn):
        self.emit("phase.started", name)
        started = clock.monotonic()
        try:
            decision, usage = fn()
        except ModelError as exc:
            ms = int((clock.monotonic() - started) * 1000)
            self.emit("phase.completed", name, {"error": str(exc), "duration_ms": ms})
            raise PhaseFailed(f"{name} phase failed: {exc}") from exc
        self.usage = self.usage + usage
        ms = round((clock.monotonic() - started) * 1000, 2)
        dumped = decision.model_dump(mode="json")
        self.record[name] = {"duration_ms": ms, "decision": dumped}
        self.emit("phase.completed", name, {"duration_ms": ms, "decision": dumped})
        return decision


def agent_infos(
    slugs: list[str],
    user,
    *,
    staff_view: bool = False,
    run: Run | None = None,
    in_flight: bool = True,
) -> list[AgentInfo]:
    """The coordinator's agents as `user` resolves them; others' agents are never candidates,
    and a fallback counts only when `user` resolves its slug to that very agent.
    `staff_view` (the admin's routing workbench only) looks at every agent by slug. With
    `run` (whose user is `user`), the enabled ones are kept on it for its stages' claims and
    calls (tenancy.remember_agents). Without `in_flight`, the agents' running steps are
    not counted (each counts 0)."""
    if staff_view:
        rows = Agent.objects.filter(slug__in=slugs).select_related("fallback").order_by("created")
        agents = {}
        for a in rows:
            agents.setdefault(a.slug, a)
        usable_fallbacks = {
            a.fallback_id for a in agents.values() if a.fallback and a.fallback.enabled
        }
    else:
        agents = Agent.objects.select_related("fallback").resolve_many(user, slugs)
        fallback_slugs = {a.fallback.slug for a in agents.values() if a.fallback}
        usable_fallbacks = {
            a.pk
            for a in Agent.objects.filter(enabled=True).resolve_many(user, fallback_slugs).values()
        }
        if run is not None:
            remember_agents(run, agents)
    learned = learned_examples(agents)
    busy = (
        dict(
            StepRun.objects.filter(agent__in=slugs, status=StepStatus.RUNNING)
            .values_list("agent")
            .annotate(n=Count("id"))
        )
        if in_flight
        else {}
    )
    return [
        AgentInfo(
            slug=a.slug,
            name=a.name,
            description=a.description,
            capabilities=list(a.capabilities or []),
            priority=a.priority,
            in_flight=busy.get(a.slug, 0),
            enabled=a.enabled,
            fallback=a.fallback.slug if a.fallback_id in usable_fallbacks else None,
            examples=[*(a.examples or []), *learned.get(a.slug, [])],
            counter_examples=list(a.counter_examples or []),
        )
        for slug in slugs
        if (a := agents.get(slug))
    ]


def decides_instantly(row: StepRun) -> bool:
    """Whether the coordinator decides with the built-in baton/local model, in well under a
    millisecond and with no write of its own before its outcome is recorded: its synthesis
    can then be made by the transaction that finds its stages done (runner._apply)."""
    config = (row.spec or {}).get("config") or {}
    return is_local(config.get("model") or settings.BATON_DEFAULT_MODEL)


def run_coordinator(row: StepRun, run: Run) -> Outcome:
    spec = CoordinatorStep.model_validate(row.spec)
    state = row.output or {}
    model_name = spec.config.model or settings.BATON_DEFAULT_MODEL
    phases = Phases(run, row, state, instant=is_local(model_name))
    try:
        if state.get("stage") == "executing":
            outcome = _finish(row, run, spec, state, phases)
        else:
            outcome = _plan_and_spawn(row, run, spec, phases)
    except PhaseFailed as exc:
        outcome = Failed(error=str(exc), output={"phases": phases.record}, usage=phases.usage)
    except BaseException:
        phases.flush()  # what the pass did so far, for whoever investigates the crash
        raise
    outcome.writes.extend(phases.take())  # written first by the transaction that records it
    return outcome


def _model(run: Run, config):
    """The coordinator's model through a connection the run's user may use."""
    try:
        return model_for(principal(run), config.model, config.connection or None)
    except CredentialError as exc:
        raise PhaseFailed(f"model: {exc}") from None


def _query(row: StepRun, run: Run, spec: CoordinatorStep) -> str:
    if not spec.query:
        return run.query
    return str(render(spec.query, context_for(run)))


def _plan_and_spawn(row: StepRun, run: Run, spec: CoordinatorStep, phases: Phases) -> Outcome:
    config = spec.config
    model = _model(run, config)
    asked = _query(row, run, spec)
    # "what is its default?" after "How do I set the sub-agent timeout?": the phases and
    # the agents get the self-contained question.
    query, refers_to = follow_up.resolve(asked, run.history)
    # baton/local reads the agents' running steps only to balance load; a model reads them
    # in its prompt
    counts = not phases.instant or config.selection_strategy == "load_balanced"
    agents = agent_infos(spec.agents, principal(run), run=run, in_flight=counts)
    if not [a for a in agents if a.enabled]:
        return Failed(
            error="none of the coordinator's sub-agents exist or are enabled", retryable=False
        )

    level = phases.run_phase(
        "complexity", lambda: complexity.analyse(query, run.history, agents, model, config)
    )
    if level.level == "NONE":
        complexity_only = {"complexity": level.model_dump(mode="json")}
        phases.write(lambda: Run.objects.filter(pk=run.pk).update(**complexity_only))
        return _no_suitable_agent(query, level.reasons, phases)
    chosen = phases.run_phase(
        "selection", lambda: selection.select(query, run.history, agents, level, model, config)
    )
    decided = {
        "complexity": level.model_dump(mode="json"),
        "selection": chosen.model_dump(mode="json"),
    }
    phases.write(lambda: Run.objects.filter(pk=run.pk).update(**decided))
    if not chosen.agents:
        return _no_suitable_agent(query, chosen.reasons, phases)
    plan = phases.run_phase(
        "planning", lambda: planning.plan(query, agents, level, chosen, model, config)
    )
    ranked = [c.slug for c in level.candidates]
    if config.review_plan:
        return _ask_for_plan_review(row, config, query, level.level, plan, ranked, phases)
    phases.emit(
        "phase.started",
        "execution",
        {"stages": [s.id for s in plan.stages], "pattern": plan.pattern},
    )
    children = stage_children(row.step_id, plan, config, agents, ranked)
    output = {
        "stage": "executing",
        "query": query,
        **({"follow_up": {"asked": asked, "refers_to": refers_to}} if refers_to else {}),
        "level": level.level,
        "phases": phases.record,
        "plan": plan.model_dump(mode="json"),
        "execution_started": clock.now().timestamp(),
    }
    return Waiting(output=output, children=children, usage=phases.usage)


def _ask_for_plan_review(
    row: StepRun, config, query: str, level: str, plan: ExecutionPlan, ranked, phases: Phases
) -> Outcome:
    """review_plan: stop after planning; the plan waits in the reviewer's inbox."""
    user, group, error = store.resolve_assignee(config.plan_reviewer)
    if error:
        return Failed(error=f"plan_reviewer: {error}", retryable=False, usage=phases.usage)
    output = {
        "stage": "plan_review",
        "query": query,
        "level": level,
        "phases": phases.record,
        "plan": plan.model_dump(mode="json"),
        "candidates": ranked,
    }
    stages = "; ".join(f"{s.id}: {s.agent}" for s in plan.stages)
    return Waiting(
        output=output,
        usage=phases.usage,
        approval={
            "kind": "plan_review",
            "prompt": f"Review the {level} plan for “{query[:300]}” ({stages}).",
            "assignee_user": user,
            "assignee_group": group,
            "default_action": "fail",
        },
    )


def run_reviewed_plan(row: StepRun, plan: dict, *, reviewed_by: str, edited: bool) -> None:
    """A reviewer approved the plan (possibly edited): spawn its stages as the plan says.
    Agents the reviewer dropped are not used as fallbacks either."""
    spec = CoordinatorStep.model_validate(row.spec)
    state = row.output or {}
    approved = ExecutionPlan.model_validate(plan)
    original = {s["agent"] for s in (state.get("plan") or {}).get("stages", [])}
    dropped = original - {s.agent for s in approved.stages}
    ranked = [slug for slug in state.get("candidates", []) if slug not in dropped]
    agents = agent_infos(spec.agents, principal(row.run))
    children = stage_children(row.step_id, approved, spec.config, agents, ranked)
    for child in children:
        child.spec["fallbacks"] = [f for f in child.spec.get("fallbacks", []) if f not in dropped]
    StepRun.objects.filter(pk=row.pk).update(
        output={
            **state,
            "stage": "executing",
            "plan": approved.model_dump(mode="json"),
            "review": {"by": reviewed_by, "edited": edited},
            "execution_started": clock.now().timestamp(),
        }
    )
    store.add_children(row.run_id, row.step_id, children)
    emit(
        row.run_id,
        "phase.started",
        phase="execution",
        step=row.step_id,
        data={
            "stages": [s.id for s in approved.stages],
            "pattern": approved.pattern,
            "reviewed_by": reviewed_by,
        },
    )


def _no_suitable_agent(query: str, reasons: list[str], phases: Phases) -> Outcome:
    answer = (
        "None of the available sub-agents can answer this query, so the coordinator did not "
        "guess. Reasons: " + "; ".join(reasons[:3])
    )
    return Succeeded(
        output={
            "answer": answer,
            "level": "NONE",
            "phases": phases.record,
            "failed_agents": [],
            "stage": "done",
        },
        usage=phases.usage,
    )


_STAGE_REF = re.compile(r"\bstages\.([A-Za-z0-9_-]+)|\bstages\[\s*['\"]([A-Za-z0-9_-]+)['\"]\s*\]")


def stage_condition(prefix: str, condition: str, earlier) -> tuple[str, list[str]]:
    """A stage condition written over earlier stages (`stages.s1.output.x`, `stages['s1']`)
    as the step expression the engine evaluates (`steps['coord.s1'].output.x`), and the
    steps it reads (the stage waits for them)."""
    known = {s.id for s in earlier}
    named: list[str] = []

    def replace(match: re.Match) -> str:
        stage = match.group(1) or match.group(2)
        if stage not in known:
            return match.group(0)  # left as written: evaluating it reports the unknown name
        step_id = f"{prefix}.{stage}"
        if step_id not in named:
            named.append(step_id)
        return f"steps['{step_id}']"

    return _STAGE_REF.sub(replace, condition), named


def stage_children(
    prefix: str, plan: ExecutionPlan, config, agents: list[AgentInfo], ranked: list[str]
) -> list[ChildSpec]:
    """Stages become agent steps. Dependencies follow the plan; the pattern decides how."""
    fallbacks = {a.slug: a.fallback for a in agents}
    selected = {s.agent for s in plan.stages}
    spare = [slug for slug in ranked if slug not in selected]

    def spec_for(stage) -> dict:
        chain = [f for f in [fallbacks.get(stage.agent)] if f] + spare
        return {
            "id": f"{prefix}.{stage.id}",
            "type": "agent",
            "agent": stage.agent,
            "query": stage.query,
            "stage": stage.id,
            "success_criteria": stage.success_criteria,
            "failure_handling": config.failure_handling,
            "timeout_seconds": config.sub_agent_timeout,
            "fallbacks": chain,
            "budget": config.budget.model_dump(),
            "context_policy": config.context_policy.model_dump(),
        }

    stages = plan.stages
    if plan.pattern == "pipeline" and len(stages) > 1:
        head = spec_for(stages[0])
        later = EngineState(pipeline_next=[spec_for(s) for s in stages[1:]])
        return [
            ChildSpec(
                step_id=head["id"],
                type="agent",
                spec=head,
                agent=stages[0].agent,
                state=later.stored(),
            )
        ]
    children = []
    for index, stage in enumerate(stages):
        spec = spec_for(stage)
        deps = [f"{prefix}.{d}" for d in stage.depends_on]
        if plan.pattern == "conditional" and index > 0:
            earlier = [f"{prefix}.{s.id}" for s in stages[:index]]
            spec["after_any"] = True
            spec["isolated"] = True
            if stage.condition:  # a branch on earlier results: runs when they meet it
                spec["when"], named = stage_condition(prefix, stage.condition, stages[:index])
                deps = named or [earlier[-1]]
            else:  # an alternative: runs only when no earlier stage answered
                spec["when"] = " and ".join(
                    f"not (steps['{e}'].status == 'succeeded' and steps['{e}'].output)"
                    for e in earlier
                )
                deps = [earlier[-1]]
        elif plan.pattern == "conditional":
            spec["isolated"] = True
        children.append(
            ChildSpec(
                step_id=spec["id"], type="agent", spec=spec, depends_on=deps, agent=stage.agent
            )
        )
    return children


def _finish(row: StepRun, run: Run, spec: CoordinatorStep, state: dict, phases: Phases) -> Outcome:
    """Every stage ended: report the execution phase, reflect (which may send stages out
    again), then synthesise the answer and decide whether the coordinator succeeded."""
    config = spec.config
    model = _model(run, config)
    query = state.get("query") or run.query
    children = _children(row, run)
    outcomes = _stage_outcomes(children)
    state = _report_execution(state, outcomes, phases)
    rerun = _reflect(row, query, outcomes, children, state, config, model, phases)
    if rerun is not None:
        return rerun
    output = _synthesise(query, outcomes, state, config, model, phases)
    return _verdict(outcomes, output, state, config, phases)


def _children(row: StepRun, run: Run) -> list[StepRun]:
    """The coordinator's current stage rows: those the advance that found them all ended
    holds (`siblings`, read under the run's lock), else read."""
    held = getattr(row, "siblings", None)
    if held:
        return [r for r in held.values() if r.parent == row.step_id and not r.superseded]
    return list(StepRun.objects.filter(run=run, parent=row.step_id, superseded=False))


def _stage_outcomes(children: list[StepRun]) -> list[AgentOutcome]:
    """What each stage step came to, as the reflection and synthesis phases read it."""
    return [
        AgentOutcome(
            stage=c.spec.get("stage") or c.step_id,
            agent=c.agent,
            status=c.status
            if c.status in ("succeeded", "failed", "skipped", "cancelled")
            else "failed",
            output=c.output,
            error=c.error,
            success_criteria=c.spec.get("success_criteria", []),
            query=c.spec.get("query") or "",
        )
        for c in children
    ]


def _report_execution(state: dict, outcomes: list[AgentOutcome], phases: Phases) -> dict:
    """phase.completed for coordinated execution, once (a reflection round comes back here)."""
    if state.get("execution_reported"):
        return state
    now = clock.now().timestamp()
    elapsed = round((now - state.get("execution_started", now)) * 1000, 2)
    summary = {
        s: sum(1 for o in outcomes if o.status == s) for s in ("succeeded", "failed", "skipped")
    }
    phases.record["execution"] = {"duration_ms": elapsed, "decision": summary}
    phases.emit("phase.completed", "execution", {"duration_ms": elapsed, "decision": summary})
    return {**state, "execution_reported": True}


def _reflect(
    row: StepRun,
    query: str,
    outcomes: list[AgentOutcome],
    children: list[StepRun],
    state: dict,
    config,
    model,
    phases: Phases,
) -> Outcome | None:
    """One reflection round: stages whose criteria were not met go out again (the
    coordinator waits for them), or None when the answer can be synthesised now."""
    rounds = int(state.get("reflections", 0))
    if not (config.enable_reflection and rounds < MAX_REFLECTION_ROUNDS):
        return None
    verdict = phases.run_phase(
        "reflection", lambda: reflection.reflect(query, outcomes, model, config)
    )
    # fail_fast means a failure ends the coordinator: reflection reports, it does not retry
    stopped = config.failure_handling == "fail_fast" and any(o.status == "failed" for o in outcomes)
    # the reflection events go out before any re-route they cause (one queue, in order)
    extra = [] if stopped else _reroute(row, verdict.retry_agents, children, state, config, phases)
    if not extra:
        return None
    new_state = {**state, "phases": phases.record, "reflections": rounds + 1}
    return Waiting(output=new_state, children=extra, usage=phases.usage)


def _synthesise(
    query: str, outcomes: list[AgentOutcome], state: dict, config, model, phases: Phases
) -> dict:
    """Phase 5: the answer, with what the coordinator decided on the way."""
    result = phases.run_phase(
        "synthesis", lambda: synthesis.synthesise(query, _final(outcomes), model, config)
    )
    output = {
        **result.model_dump(mode="json"),
        "level": state.get("level"),
        "plan": state.get("plan"),
        **({"follow_up": state["follow_up"]} if state.get("follow_up") else {}),
        "phases": phases.record,
        "stage": "done",
    }
    if state.get("review"):
        output["review"] = state["review"]
    return output


def _verdict(
    outcomes: list[AgentOutcome], output: dict, state: dict, config, phases: Phases
) -> Outcome:
    """Failed stages fail the coordinator unless it tolerates them (continue_partial, or a
    conditional plan where some alternative answered)."""
    failed = [o for o in _final(outcomes) if o.status == "failed"]
    succeeded = [o for o in _final(outcomes) if o.status == "succeeded"]
    pattern = (state.get("plan") or {}).get("pattern")
    tolerate = config.failure_handling == "continue_partial" or (
        pattern == "conditional" and succeeded
    )
    if failed and not tolerate:
        names = ", ".join(
            f"{o.agent} ({o.error.splitlines()[0][:160] if o.error else 'failed'})" for o in failed
        )
        return Failed(
            error=f"sub-agent failed: {names}", output=output, usage=phases.usage, retryable=False
        )
    return Succeeded(output=output, usage=phases.usage)


def _final(outcomes: list[AgentOutcome]) -> list[AgentOutcome]:
    """A re-routed stage replaces the one it stands in for."""
    rerouted = {
        o.stage.split("~")[0] for o in outcomes if "~" in o.stage and o.status == "succeeded"
    }
    return [o for o in outcomes if not ("~" not in o.stage and o.stage in rerouted)]


def _reroute(
    row: StepRun,
    retry_agents: list[str],
    children: list[StepRun],
    state: dict,
    config,
    phases: Phases,
) -> list[ChildSpec]:
    """Reflection found unmet criteria: send those stages to the next capable agent unused so far,
    or once more to the same agent when the dispatch budget allows."""
    extra = []
    used = {c.agent for c in children}
    for child in children:
        if child.agent not in retry_agents or EngineState.of(child).pipeline_next:
            continue
        if (
            child.input is not None
        ):  # a pipeline item: its stage alone, without the item, answers nothing
            continue
        spare = [f for f in child.spec.get("fallbacks", []) if f not in used]
        target = spare[0] if spare else child.agent
        if not store.within_budget(child, target):
            continue
        used.add(target)
        stage = f"{child.spec.get('stage', child.step_id)}~r{int(state.get('reflections', 0)) + 1}"
        spec = {
            **child.spec,
            "id": f"{row.step_id}.{stage}",
            "agent": target,
            "stage": stage,
            "after_any": False,
        }
        spec.pop("when", None)
        extra.append(ChildSpec(step_id=spec["id"], type="agent", spec=spec, agent=target))
        phases.event(
            "agent.fallback",
            {
                "step": spec["id"],
                "agent": target,
                "data": {
                    "from": child.agent,
                    "to": target,
                    "reason": "reflection: criteria not met",
                },
            },
        )
    return extra
