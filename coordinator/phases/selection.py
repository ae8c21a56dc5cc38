"""Phase 2: which agents, by strategy (capability_based, load_balanced, priority_based)."""

from canvas.components import CoordinatorConfig
from coordinator.llm import Model, Usage, local_task
from coordinator.offline import router
from coordinator.phases.common import agents_block, routing_query, system
from coordinator.phases.complexity import profiles
from coordinator.schemas import AgentInfo, ComplexityDecision, SelectionDecision

WANTED = {"LOW": (1, 1), "MEDIUM": (2, 2), "HIGH": (2, 8), "NONE": (0, 0)}

INSTRUCTIONS = """Select the sub-agents for this query with the strategy "{strategy}":
capability_based = most relevant descriptions; load_balanced = least in-flight among capable
agents; priority_based = highest priority among capable agents. Level {level} needs {low} to
{high} agents. Reply with JSON: {{"agents": [slug], "scores": {{slug: 0..1}}, "reasons": [str]}}"""


def select(
    query: str,
    history: list[dict],
    agents: list[AgentInfo],
    complexity: ComplexityDecision,
    model: Model,
    config: CoordinatorConfig,
) -> tuple[SelectionDecision, Usage]:
    if complexity.level == "NONE":
        return SelectionDecision(agents=[], reasons=["no suitable agent"]), Usage()
    low, high = WANTED[complexity.level]
    messages = [
        system(
            config.system_prompt,
            INSTRUCTIONS.format(
                strategy=config.selection_strategy, level=complexity.level, low=low, high=high
            ),
        ),
        {"role": "user", "content": f"Sub-agents:\n{agents_block(agents)}\n\nQuery: {query}"},
    ]
    decision, usage = model.structured(
        messages,
        SelectionDecision,
        task="selection",
        context={
            "query": routing_query(query, history),
            "agents": agents,
            "complexity": complexity,
            "strategy": config.selection_strategy,
        },
        temperature=config.temperature,
        thinking_budget=config.thinking_budget,
        timeout=config.sub_agent_timeout,
    )
    return _only_known(decision, agents, high), usage


def _only_known(
    decision: SelectionDecision, agents: list[AgentInfo], high: int
) -> SelectionDecision:
    """A model may name agents that don't exist or are disabled; drop them, say so."""
    usable = {a.slug for a in agents if a.enabled}
    kept, dropped = [], []
    for slug in decision.agents:
        (kept if slug in usable and slug not in kept else dropped).append(slug)
    reasons = list(decision.reasons)
    if dropped:
        reasons.append(f"ignored unknown, disabled or repeated agents: {', '.join(dropped)}")
    return SelectionDecision(agents=kept[:high], scores=decision.scores, reasons=reasons)


@local_task("selection")
def decide_locally(schema, context) -> SelectionDecision:
    complexity: ComplexityDecision = context["complexity"]
    result = router.select_agents(
        context["query"],
        profiles(context["agents"]),
        complexity.level,
        context["strategy"],
    )
    return SelectionDecision(
        agents=list(result.agents),
        scores={k: round(float(v), 4) for k, v in result.scores.items()},
        reasons=list(result.reasons),
    )
