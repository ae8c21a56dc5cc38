"""Routing test sets in the database: import from / export to the bench_routing JSON
format, run against the live registry (storing a RoutingTestRun), and what changed since
the previous run."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from canvas.models import Agent, example_list_problem
from coordinator import clock
from coordinator.models import RoutingCase, RoutingTestRun, RoutingTestSet
from coordinator.offline.router import AgentProfile
from coordinator.workbench.evaluation import LOCAL_MODEL, evaluate, expected_of, local_route
from coordinator.workbench.examples import learned_examples

LEVELS = ("LOW", "MEDIUM", "HIGH", "NONE")
ACCURACIES = ("level_accuracy", "agent_set_accuracy", "top1_accuracy", "none_accuracy")
MAX_CASES = 5000


class TestSetError(ValueError):
    """Bad import data; ``field`` names where (``cases[3].level``)."""

    __test__ = False  # not a pytest class

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse(data: Any) -> tuple[list[dict], list[dict]]:
    """The agents and cases of a bench_routing document, checked; TestSetError otherwise."""
    if not isinstance(data, dict):
        raise TestSetError("(document)", "expected an object with 'agents' and 'cases' lists")
    agents, cases = data.get("agents"), data.get("cases")
    if not isinstance(agents, list) or not agents:
        raise TestSetError("agents", "must be a non-empty list")
    if not isinstance(cases, list) or not cases:
        raise TestSetError("cases", "must be a non-empty list")
    if len(cases) > MAX_CASES:
        raise TestSetError("cases", f"at most {MAX_CASES} cases")
    slugs: list[str] = []
    for i, agent in enumerate(agents):
        if not isinstance(agent, dict) or not isinstance(agent.get("slug"), str):
            raise TestSetError(f"agents[{i}].slug", "required (a string)")
        slugs.append(agent["slug"])
    out_cases = []
    for i, case in enumerate(cases):
        if not isinstance(case, dict):
            raise TestSetError(f"cases[{i}]", "must be an object")
        query = case.get("query")
        if not isinstance(query, str) or not query.strip():
            raise TestSetError(f"cases[{i}].query", "required (a non-empty string)")
        expected = case.get("agents") or []
        if not isinstance(expected, list) or not all(isinstance(s, str) for s in expected):
            raise TestSetError(f"cases[{i}].agents", "must be a list of agent slugs")
        unknown = sorted(set(expected) - set(slugs))
        if unknown:
            raise TestSetError(f"cases[{i}].agents", f"not among the set's agents: {unknown}")
        level = str(case.get("level") or ("NONE" if not expected else "")).upper()
        if level not in LEVELS:
            raise TestSetError(f"cases[{i}].level", f"must be one of {', '.join(LEVELS)}")
        level, expected = expected_of({"level": level, "agents": expected})
        out_cases.append({"query": query.strip(), "level": level, "agents": expected})
    return agents, out_cases


def import_set(data: Any, name: str, create_missing: bool = False, replace: bool = False):
    """A RoutingTestSet from a bench_routing document. The set's agents must exist in the
    registry (by slug) unless ``create_missing``, which creates them from the file (kind
    llm, with the file's name, description, capabilities and examples)."""
    agents, cases = parse(data)
    existing = {a.slug: a for a in Agent.objects.filter(slug__in=[a["slug"] for a in agents])}
    missing = [(i, a) for i, a in enumerate(agents) if a["slug"] not in existing]
    if missing and not create_missing:
        i, a = missing[0]
        names = ", ".join(a["slug"] for _, a in missing)
        raise TestSetError(
            f"agents[{i}].slug", f"no agent {a['slug']!r} in the registry (missing: {names})"
        )
    with transaction.atomic():
        old = RoutingTestSet.objects.filter(name=name).first()
        if old is not None and not replace:
            raise TestSetError("name", f"a test set named {name!r} exists")
        if old is not None:
            old.delete()
        for i, a in missing:
            agent = Agent(
                slug=a["slug"],
                name=a.get("name") or a["slug"],
                description=a.get("description") or "",
                capabilities=a.get("capabilities") or [],
                examples=a.get("examples") or [],
                counter_examples=a.get("counter_examples") or [],
                kind="llm",
            )
            for field in ("examples", "counter_examples"):
                problem = example_list_problem(getattr(agent, field))
                if problem:
                    raise TestSetError(f"agents[{i}].{field}", problem)
            try:
                agent.full_clean()
            except Exception as exc:  # ValidationError: name the agent, keep Django's words
                raise TestSetError(f"agents[{i}]", str(exc)) from exc
            agent.save()
            existing[agent.slug] = agent
        test_set = RoutingTestSet(name=name, about=str(data.get("about") or ""))
        try:
            test_set.full_clean()
        except Exception as exc:
            raise TestSetError("name", str(exc)) from exc
        test_set.save()
        test_set.agents.set([existing[a["slug"]] for a in agents])
        RoutingCase.objects.bulk_create(
            RoutingCase(
                test_set=test_set, query=c["query"], level=c["level"], expected_agents=c["agents"]
            )
            for c in cases
        )
    return test_set


def export_set(test_set) -> dict:
    """The bench_routing document of a set, with its agents as the registry has them now."""
    return {
        "about": test_set.about,
        "agents": [
            {
                "slug": a.slug,
                "name": a.name,
                "description": a.description,
                **({"capabilities": a.capabilities} if a.capabilities else {}),
                **({"examples": a.examples} if a.examples else {}),
                **({"counter_examples": a.counter_examples} if a.counter_examples else {}),
            }
            for a in test_set.agents.order_by("slug")
        ],
        "cases": [
            {"query": c.query, "level": c.level, "agents": c.expected_agents}
            for c in test_set.cases.order_by("id")
        ],
    }


def profiles_for(agents, exclude_set_id: int | None = None) -> list[AgentProfile]:
    """Routing profiles of ``agents`` (a queryset: the caller decides which agents are
    visible), with their examples and the ones learned from other test sets."""
    rows = list(agents)
    learned = learned_examples((a.slug for a in rows), exclude_set_id)
    return [
        AgentProfile(
            slug=a.slug,
            name=a.name,
            description=a.description,
            capabilities=list(a.capabilities or []),
            priority=a.priority,
            enabled=a.enabled,
            examples=[*(a.examples or []), *learned.get(a.slug, [])],
            counter_examples=list(a.counter_examples or []),
        )
        for a in rows
    ]


def run_set(test_set, trigger: str = "manual", agent: str = "", model: str = LOCAL_MODEL):
    """Run ``test_set`` against the registry's current agents and store the result."""
    run = RoutingTestRun.objects.create(
        test_set=test_set, model=model, trigger=trigger, agent=agent
    )
    try:
        if model != LOCAL_MODEL:
            raise ValueError(f"model {model!r} cannot run test sets yet; only {LOCAL_MODEL!r}")
        pool = set(test_set.agents.values_list("slug", flat=True))
        for i, case in enumerate(test_set.cases.order_by("id")):
            unknown = sorted(set(case.expected_agents or []) - pool)
            if unknown:
                raise ValueError(
                    f"case {i + 1} ({case.query[:60]!r}) expects {unknown}, not among the "
                    "set's agents"
                )
        profiles = profiles_for(test_set.agents.filter(enabled=True), exclude_set_id=test_set.pk)
        cases = [
            {"query": c.query, "level": c.level, "agents": c.expected_agents}
            for c in test_set.cases.order_by("id")
        ]
        result = evaluate(profiles, cases, local_route)
    except Exception as exc:
        run.status, run.error = "failed", str(exc)[:2000]
    else:
        run.status = "done"
        run.figures = result["figures"]
        run.agent_confusion = result["agent_confusion"]
        run.misses = result["misses"]
        run.outcomes = result["outcomes"]
    run.finished_at = clock.now()
    run.save()
    return run


def changes(run, previous) -> dict:
    """What changed from ``previous`` to ``run``: the accuracies that dropped or rose, and
    the cases that now fail or now pass."""
    if previous is None or run.status != "done" or previous.status != "done":
        return {"dropped": {}, "rose": {}, "now_failing": [], "now_passing": []}
    dropped, rose = {}, {}
    for key in ACCURACIES:
        before, after = previous.figures.get(key), run.figures.get(key)
        if before is None or after is None or before == after:
            continue
        (dropped if after < before else rose)[key] = [before, after]
    before_ok = {o["query"]: o for o in previous.outcomes}
    now_failing, now_passing = [], []
    for outcome in run.outcomes:
        old = before_ok.get(outcome["query"])
        if old is None or old["ok"] == outcome["ok"]:
            continue
        entry = {"query": outcome["query"], "before": old["agents"], "after": outcome["agents"]}
        (now_passing if outcome["ok"] else now_failing).append(entry)
    return {
        "dropped": dropped,
        "rose": rose,
        "now_failing": now_failing,
        "now_passing": now_passing,
    }


def rerun_sets_with(agent_slug: str) -> list:
    """Re-run every test set that includes ``agent_slug`` (after the agent was saved)."""
    return [
        run_set(test_set, trigger="agent-save", agent=agent_slug)
        for test_set in RoutingTestSet.objects.filter(agents__slug=agent_slug).distinct()
    ]


def regressions_for(agent_slug: str) -> list[dict]:
    """For the agent's change page: each set including it, its latest run and what changed
    against the run before it."""
    out = []
    for test_set in RoutingTestSet.objects.filter(agents__slug=agent_slug).distinct():
        latest = list(test_set.runs.order_by("-created", "-id")[:2])
        if not latest:
            continue
        run = latest[0]
        previous = latest[1] if len(latest) > 1 else None
        out.append({"set": test_set, "run": run, "previous": previous, **changes(run, previous)})
    return out
