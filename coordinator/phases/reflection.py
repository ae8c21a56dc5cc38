"""Reflection: check the outcomes against each stage's success criteria; name what to retry."""

import re

from canvas.components import CoordinatorConfig
from coordinator.llm import Model, Usage, local_task
from coordinator.phases.common import as_json, system
from coordinator.phases.synthesis import output_text
from coordinator.schemas import AgentOutcome, ReflectionDecision

INSTRUCTIONS = """Check each sub-agent's output against its success criteria. Reply with JSON:
{"satisfied": bool, "unmet": [str], "retry_agents": [slug of agents whose stage should be
retried or re-routed], "reasons": [str]}"""

WORD = re.compile(r"[a-z0-9]{4,}")
COVERAGE = 0.2


def reflect(
    query: str, outcomes: list[AgentOutcome], model: Model, config: CoordinatorConfig
) -> tuple[ReflectionDecision, Usage]:
    messages = [
        system(config.system_prompt, INSTRUCTIONS),
        {
            "role": "user",
            "content": f"Query: {query}\n"
            + "\n".join(
                f"[{o.agent}] status={o.status} criteria={o.success_criteria} output={as_json(o.output)}"
                for o in outcomes
            ),
        },
    ]
    decision, usage = model.structured(
        messages,
        ReflectionDecision,
        task="reflection",
        context={"query": query, "outcomes": outcomes},
        temperature=config.temperature,
        thinking_budget=config.thinking_budget,
        timeout=config.sub_agent_timeout,
    )
    known = {o.agent for o in outcomes}
    decision.retry_agents = [a for a in decision.retry_agents if a in known]
    return decision, usage


def meets_criteria(outcome: AgentOutcome) -> tuple[bool, str]:
    """The offline check: a non-empty, error-free answer that touches the stage's topic."""
    if outcome.status != "succeeded":
        return False, f"{outcome.agent}: {outcome.status}"
    text = output_text(outcome.output)
    if not text and not (isinstance(outcome.output, dict) and outcome.output.get("rows")):
        return False, f"{outcome.agent}: empty answer"
    topics = [
        c.removeprefix("addresses: ")
        for c in outcome.success_criteria
        if c.startswith("addresses: ")
    ]
    for topic in topics:
        wanted = set(WORD.findall(topic.lower()))
        if not wanted:
            continue
        haystack = (text + " " + as_json(outcome.output)).lower()
        covered = sum(1 for w in wanted if w[:5] in haystack) / len(wanted)
        if covered < COVERAGE:
            return False, f"{outcome.agent}: answer covers {covered:.0%} of the topic terms"
    return True, f"{outcome.agent}: criteria met"


@local_task("reflection")
def decide_locally(schema, context) -> ReflectionDecision:
    outcomes: list[AgentOutcome] = context["outcomes"]
    verdicts = [(o, *meets_criteria(o)) for o in outcomes if o.status != "skipped"]
    unmet = [reason for _, ok, reason in verdicts if not ok]
    return ReflectionDecision(
        satisfied=not unmet,
        unmet=unmet,
        retry_agents=[o.agent for o, ok, _ in verdicts if not ok],
        reasons=[reason for _, _, reason in verdicts],
    )
