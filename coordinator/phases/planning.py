"""Phase 3: stages with agents, dependencies, per-agent queries and success criteria."""

import re

from canvas.components import CoordinatorConfig
from coordinator.llm import Model, Usage, local_task
from coordinator.offline import router
from coordinator.phases.common import agents_block, system
from coordinator.phases.complexity import profiles
from coordinator.schemas import (
    AgentInfo,
    ComplexityDecision,
    ExecutionPlan,
    SelectionDecision,
    Stage,
)

INSTRUCTIONS = """Plan the execution. Coordination pattern: {pattern}; parallel execution
{parallel}. For each selected agent write a stage: a focused query for that agent, the stages it
depends on, and measurable success criteria. Reply with JSON: {{"pattern": "{pattern}",
"stages": [{{"id": str, "agent": slug, "query": str, "depends_on": [stage id],
"success_criteria": [str], "condition": str or null}}], "reasons": [str]}}
In the conditional pattern a later stage may branch on earlier results: its "condition" is an
expression over earlier stages, e.g. "stages.s1.status == 'failed'" or
"stages.s1.output.rows | length > 5"; the stage runs only when it holds. A later stage without
a condition is an alternative that runs only when no earlier stage answered."""


def plan(
    query: str,
    agents: list[AgentInfo],
    complexity: ComplexityDecision,
    selection: SelectionDecision,
    model: Model,
    config: CoordinatorConfig,
) -> tuple[ExecutionPlan, Usage]:
    pattern = config.coordination_strategy
    chosen = [a for a in agents if a.slug in selection.agents]
    messages = [
        system(
            config.system_prompt,
            INSTRUCTIONS.format(pattern=pattern, parallel=config.parallel_execution),
        ),
        {
            "role": "user",
            "content": f"Query: {query}\nLevel: {complexity.level}\n"
            f"Selected agents:\n{agents_block(chosen)}",
        },
    ]
    result, usage = model.structured(
        messages,
        ExecutionPlan,
        task="planning",
        context={
            "query": query,
            "agents": chosen,
            "complexity": complexity,
            "selection": selection,
            "pattern": pattern,
            "parallel_execution": config.parallel_execution,
        },
        temperature=config.temperature,
        thinking_budget=config.thinking_budget,
        timeout=config.sub_agent_timeout,
    )
    return normalise(result, selection.agents, pattern), usage


def normalise(result: ExecutionPlan, selected: list[str], pattern: str) -> ExecutionPlan:
    """Keep only stages for selected agents, drop unknown dependencies and cycles-by-order."""
    stages, seen = [], set()
    for stage in result.stages:
        if stage.agent not in selected or stage.id in seen:
            continue
        deps = [d for d in stage.depends_on if d in seen]  # only earlier stages: no cycles
        stages.append(stage.model_copy(update={"depends_on": deps}))
        seen.add(stage.id)
    if not stages:
        stages = [Stage(id=f"s1-{selected[0]}", agent=selected[0], query="")] if selected else []
    return ExecutionPlan(pattern=pattern, stages=stages, reasons=result.reasons)


def stage_dependencies(
    count: int, pattern: str, level: str, parallel_execution: bool
) -> list[list[int]]:
    """Which earlier stages each stage waits for, by pattern (indices)."""
    independent = pattern == "parallel" or (
        pattern == "sequential" and level == "HIGH" and parallel_execution
    )
    if independent and parallel_execution:
        return [[] for _ in range(count)]
    return [[i - 1] if i else [] for i in range(count)]


@local_task("planning")
def decide_locally(schema, context) -> ExecutionPlan:
    query: str = context["query"]
    selection: SelectionDecision = context["selection"]
    complexity: ComplexityDecision = context["complexity"]
    pattern: str = context["pattern"]
    agents = {a.slug: a for a in context["agents"]}
    order = [slug for slug in selection.agents if slug in agents]
    aspects = _aspects_of(query, [agents[s] for s in order])
    queries = (
        {a.agent: a.sub_query for a in aspects}
        if aspects is not None and len(order) > 1
        else _queries_per_agent(query, complexity.sub_queries, [agents[s] for s in order])
    )
    deps = stage_dependencies(len(order), pattern, complexity.level, context["parallel_execution"])
    needs = [a.depends_on_previous for a in aspects] if aspects is not None else None
    if pattern == "sequential" and context["parallel_execution"] and needs is not None:
        # Chain a stage only when its ask uses the previous one's result.
        deps = [[i - 1] if i and needs[i] else [] for i in range(len(order))]
    stages = []
    for index, slug in enumerate(order):
        stage_id = f"s{index + 1}-{slug}"[:64]
        stages.append(
            Stage(
                id=stage_id,
                agent=slug,
                query=queries[slug],
                depends_on=[stages[d].id for d in deps[index]],
                success_criteria=[
                    "returns a non-empty answer without an error",
                    f"addresses: {queries[slug]}",
                ],
            )
        )
    shape = "independent" if all(not d for d in deps) else "chained"
    reasons = [f"{len(stages)} stage(s), {shape}, pattern {pattern}"]
    if pattern == "conditional" and len(stages) > 1:
        stages, why = _branch_on_results(query, stages, agents)
        reasons += why
    return ExecutionPlan(pattern=pattern, stages=stages, reasons=reasons)


_IF_CLAUSE = re.compile(
    r"\b(?:if|when|in case)\s+(?P<test>[^,;]+?)\s*(?:,|\bthen\b)\s*(?:then\s+)?(?P<then>[^;.]+)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")


def _branch_on_results(query: str, stages: list[Stage], agents: dict) -> tuple[list, list[str]]:
    """baton/local's conditional branching: "…, if revenue fell, get the forecast" makes the
    stage that does "get the forecast" run only when the first stage's output mentions what
    the if-clause tests for ("fell"). Without an if-clause, later stages stay alternatives."""
    match = _IF_CLAUSE.search(query)
    if not match:
        return stages, []
    first, later = stages[0], stages[1:]
    scores = {
        s.slug: s.score
        for s in router.score_agents(match["then"], profiles([agents[st.agent] for st in later]))
    }
    target = max(later, key=lambda st: scores.get(st.agent, 0.0))
    if scores.get(target.agent, 0.0) < router.RELEVANCE_THRESHOLD:
        return stages, []
    asked = set(_WORD.findall(query[: match.start()].lower()))  # what the first stage is asked
    words = [
        w
        for w in _WORD.findall(match["test"].lower())
        if w not in asked and w not in router.T.STOPWORDS
    ]
    words = [w for w in words if w not in router.T.WEAK_WORDS] or words
    if not words:
        return stages, []
    test = " and ".join(f"'{w}' in (stages['{first.id}'].output | string | lower)" for w in words)
    branched = [
        st.model_copy(update={"condition": test, "query": match["then"].strip()})
        if st is target
        else st
        for st in stages
    ]
    return branched, [f"{target.id} runs only if {first.id}'s result mentions {', '.join(words)}"]


def _aspects_of(query: str, agents: list[AgentInfo]) -> list | None:
    """The offline analysis's sub-tasks, one per stage in order (each with the ask it found
    for that agent and whether it works on the previous stage's result); None when the
    agents are not its aspects (a selection that differs from the analysis)."""
    aspects = router.analyse_complexity(query, profiles(agents)).aspects
    if [a.agent for a in aspects] != [a.slug for a in agents]:
        return None
    return aspects


def _queries_per_agent(
    query: str, sub_queries: list[str], agents: list[AgentInfo]
) -> dict[str, str]:
    """Give each agent the sub-question it is best at; the whole query when there is one agent
    or no decomposition."""
    if len(agents) <= 1 or len(sub_queries) <= 1:
        return {a.slug: query for a in agents}
    scored = profiles(agents)
    by_sub = {
        sub: {s.slug: s.score for s in router.score_agents(sub, scored)} for sub in sub_queries
    }
    chosen: dict[str, str] = {}
    for agent in agents:
        best, best_score = query, 0.0
        for sub in sub_queries:
            if by_sub[sub].get(agent.slug, 0.0) > best_score:
                best, best_score = sub, by_sub[sub][agent.slug]
        chosen[agent.slug] = best
    return chosen
