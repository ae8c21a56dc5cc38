"""Phase 1: how many agents does this query need — LOW, MEDIUM, HIGH, or none suitable."""

from canvas.components import CoordinatorConfig
from coordinator.llm import Model, Usage, local_task
from coordinator.offline import router
from coordinator.phases.common import agents_block, history_block, routing_query, system
from coordinator.schemas import AgentInfo, Candidate, ComplexityDecision

INSTRUCTIONS = """Classify the user's query against the sub-agents below.
LOW: one agent suffices. MEDIUM: two agents in sequence (the second uses the first's result).
HIGH: three or more agents, or several independent aspects that can run in parallel.
NONE: no agent is relevant; never guess.
Reply with JSON: {"level": "LOW|MEDIUM|HIGH|NONE", "reasons": [str], "sub_queries": [str],
"candidates": [{"slug": str, "score": 0..1, "reason": str}]}"""


def analyse(
    query: str,
    history: list[dict],
    agents: list[AgentInfo],
    model: Model,
    config: CoordinatorConfig,
) -> tuple[ComplexityDecision, Usage]:
    messages = [
        system(config.system_prompt, INSTRUCTIONS),
        {
            "role": "user",
            "content": f"Sub-agents:\n{agents_block(agents)}\n\nConversation so far:\n"
            f"{history_block(history)}\n\nQuery: {query}",
        },
    ]
    decision, usage = model.structured(
        messages,
        ComplexityDecision,
        task="complexity",
        context={"query": routing_query(query, history), "agents": agents},
        temperature=config.temperature,
        thinking_budget=config.thinking_budget,
        timeout=config.sub_agent_timeout,
    )
    known = {a.slug for a in agents}
    decision.candidates = [c for c in decision.candidates if c.slug in known]
    return decision, usage


def profiles(agents: list[AgentInfo]) -> list[router.AgentProfile]:
    return [
        router.AgentProfile(
            slug=a.slug,
            name=a.name,
            description=a.description,
            capabilities=list(a.capabilities),
            priority=a.priority,
            in_flight=a.in_flight,
            enabled=a.enabled,
            examples=list(a.examples),
            counter_examples=list(a.counter_examples),
        )
        for a in agents
    ]


@local_task("complexity")
def decide_locally(schema, context) -> ComplexityDecision:
    result = router.analyse_complexity(context["query"], profiles(context["agents"]))
    return ComplexityDecision(
        level=result.level,
        reasons=list(result.reasons),
        sub_queries=list(result.sub_queries),
        candidates=[
            Candidate(slug=c.slug, score=round(float(c.score), 4), reason=c.reason)
            for c in result.candidates
        ],
    )
