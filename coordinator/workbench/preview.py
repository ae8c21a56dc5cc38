"""The routing preview of the admin: where a query would go, why, and the plan, for a set
of agents, with the offline router's scores for every agent and the phases (1–3) run by
the chosen model (``baton/local`` or an LLM through litellm)."""

from __future__ import annotations

from canvas.components import CoordinatorConfig
from coordinator.engine.steps.coordinator import agent_infos
from coordinator.llm import ModelError, get_model
from coordinator.offline import router
from coordinator.phases import complexity, planning, selection
from coordinator.phases.complexity import profiles
from coordinator.schemas import AgentInfo
from coordinator.workbench.usage import agents_in_graph


def preview(
    query: str, agents: list[AgentInfo], config: CoordinatorConfig, model_name: str
) -> dict:
    """Level, every agent's offline score with its reasons, the agents chosen under each
    strategy, and the execution plan for the configured strategy. A model error is
    reported in ``error``, never raised."""
    out: dict = {"query": query, "model": model_name, "error": ""}
    out["scores"] = [
        {"slug": s.slug, "score": s.score, "reason": s.reason}
        for s in router.score_agents(query, profiles(agents))
    ]
    model = get_model(model_name)
    try:
        level, _ = complexity.analyse(query, [], agents, model, config)
        out["level"] = level.level
        out["level_reasons"] = list(level.reasons)
        out["sub_queries"] = list(level.sub_queries)
        out["strategies"] = {}
        decisions = {}
        for strategy in router.STRATEGIES:
            strategy_config = config.model_copy(update={"selection_strategy": strategy})
            chosen, _ = selection.select(query, [], agents, level, model, strategy_config)
            decisions[strategy] = chosen
            out["strategies"][strategy] = {"agents": chosen.agents, "reasons": chosen.reasons}
        chosen = decisions[config.selection_strategy]
        out["plan"] = None
        if chosen.agents:
            plan, _ = planning.plan(query, agents, level, chosen, model, config)
            out["plan"] = plan.model_dump(mode="json")
    except ModelError as exc:
        out["error"] = f"{model_name}: {exc}"
    return out


def coordinator_config(canvas) -> dict | None:
    """The first coordinator node's config in the canvas's current version, or None."""
    version = canvas.current_version()
    for node in (version.graph if version else {}).get("nodes") or []:
        if node.get("type") == "coordinator":
            return (node.get("data") or {}).get("config") or {}
    return None


def targets(candidates, canvas=None, slugs: list[str] | None = None):
    """The agents to route between and the coordinator configuration: the canvas's
    coordinator's sub-agents and its config, or the named agents, or every agent of
    ``candidates`` (a queryset of the agents the user may route to)."""
    config = CoordinatorConfig()
    if canvas is not None:
        raw = coordinator_config(canvas) or {}
        known = set(CoordinatorConfig.model_fields)
        config = CoordinatorConfig.model_validate({k: v for k, v in raw.items() if k in known})
        version = canvas.current_version()
        wanted = agents_in_graph(version.graph) if version else set()
        slugs = sorted(candidates.filter(slug__in=wanted).values_list("slug", flat=True))
    elif slugs is None:
        slugs = sorted(candidates.values_list("slug", flat=True))
    return [a for a in agent_infos(slugs, None, staff_view=True) if a.enabled], config
