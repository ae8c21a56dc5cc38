"""`workflow agent list|show|create` and `workflow route`: the registry and the routing
preview in the terminal. Formatting only; the figures come from coordinator.workbench."""

from __future__ import annotations

from types import SimpleNamespace

from canvas.api.serializers import AgentSerializer, agents_visible_to
from coordinator.cli.format import clip, table
from coordinator.cli.lookup import refuse
from coordinator.workbench import description_check
from coordinator.workbench.test_sets import profiles_for
from coordinator.workbench.usage import WINDOWS, canvases_by_agent, usage_by_agent


def _rate(value) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def agent_rows(user) -> list[str]:
    agents = list(agents_visible_to(user).order_by("slug"))
    usage = usage_by_agent(a.slug for a in agents)
    rows = []
    for a in agents:
        week = usage[a.slug][7]
        rows.append(
            [
                a.slug,
                a.kind,
                "yes" if a.enabled else "no",
                a.priority,
                week.invocations,
                _rate(week.success_rate),
                clip(a.description, 60),
            ]
        )
    headers = ["SLUG", "KIND", "ENABLED", "PRIORITY", "CALLS 7D", "OK 7D", "DESCRIPTION"]
    return table(headers, rows)


def resolve_agent(slug: str, user):
    agent = agents_visible_to(user).filter(slug=slug).first()
    if agent is None:
        raise refuse(f"no agent {slug!r} visible to {user.username}")
    return agent


def agent_report(agent, user) -> list[str]:
    lines = [
        f"{agent.slug}  {agent.name}",
        f"kind {agent.kind} · {'enabled' if agent.enabled else 'disabled'} · priority "
        f"{agent.priority} · max concurrency {agent.max_concurrency or 'unlimited'}",
        "",
        agent.description,
    ]
    if agent.capabilities:
        lines += ["", "capabilities: " + ", ".join(agent.capabilities)]
    for title, values in (
        ("examples", agent.examples),
        ("counter-examples", agent.counter_examples),
    ):
        if values:
            lines += ["", f"{title}:"] + [f"  - {v}" for v in values]
    usage = usage_by_agent([agent.slug])[agent.slug]
    lines += ["", "usage:"]
    for days in WINDOWS:
        u = usage[days]
        p50 = "-" if u.p50_ms is None else f"{u.p50_ms:.0f} ms"
        lines.append(
            f"  {days:>2} days: {u.invocations} calls, {_rate(u.success_rate)} ok, "
            f"p50 {p50}, ${u.cost_usd:.2f}"
        )
    canvases = canvases_by_agent([agent.slug])[agent.slug]
    lines.append("canvases: " + (", ".join(canvases) or "none"))
    pool = profiles_for(agents_visible_to(user).filter(enabled=True))
    mine = next((p for p in pool if p.slug == agent.slug), None) or profiles_for([agent])[0]
    findings = description_check.check(mine, pool)
    lines += ["", f"description check: {description_check.quality(findings)}"]
    for f in findings:
        lines += [f"  {f.code}: {f.message}", f"    fix: {f.fix}"]
    return lines


def create_agent(user, fields: dict):
    """Create an agent as ``user`` through the API's serializer (same validation)."""
    serializer = AgentSerializer(data=fields, context={"request": SimpleNamespace(user=user)})
    if not serializer.is_valid():
        problems = "; ".join(
            f"--{field.replace('_', '-')}: {' '.join(str(m) for m in messages)}"
            for field, messages in serializer.errors.items()
        )
        raise refuse(f"agent not created: {problems}")
    return serializer.save(owner=user)


def route_report(result: dict) -> list[str]:
    lines = [f"query: {result['query']}", f"model: {result['model']}"]
    if result.get("error"):
        return lines + [f"error: {result['error']}"]
    lines.append(f"level: {result['level']}")
    if result.get("sub_queries"):
        lines.append("sub-tasks: " + " · ".join(result["sub_queries"]))
    lines.append("")
    lines += table(
        ["STRATEGY", "AGENTS"],
        [[name, ", ".join(c["agents"]) or "none"] for name, c in result["strategies"].items()],
    )
    lines += ["", "scores:"]
    lines += table(
        ["AGENT", "SCORE", "WHY"],
        [[s["slug"], f"{s['score']:.2f}", clip(s["reason"], 100)] for s in result["scores"][:10]],
    )
    if result.get("plan"):
        lines += ["", f"plan ({result['plan']['pattern']}):"]
        for stage in result["plan"]["stages"]:
            after = f" (after {', '.join(stage['depends_on'])})" if stage["depends_on"] else ""
            lines.append(f"  {stage['id']}: {stage['agent']} ← {clip(stage['query'], 80)}{after}")
    lines += ["", "reasons:"] + [f"  {r}" for r in result.get("level_reasons", [])]
    return lines
