"""``python manage.py bench_routing FILE.json [--model baton/local] [--verbose]``

Runs phases 1–2 (complexity and selection) over a routing dataset and prints ONE JSON line
of figures. The dataset is ``{"agents": [{"slug", "name", "description", ...}], "cases":
[{"query", "level", "agents": [slugs]}]}``; a case with an empty ``agents`` list means "no
suitable agent", and its expected level is NONE whatever its ``level`` says.

Needs no database: agents are built from the file, never from the registry.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coordinator.offline.router import AgentProfile, route

LOCAL_MODEL = "baton/local"


@dataclass
class Routed:
    level: str
    agents: list[str]


RouteFn = Callable[[str, list[AgentProfile]], Routed]


def local_route(query: str, agents: list[AgentProfile]) -> Routed:
    decision = route(query, agents)
    return Routed(decision.level, list(decision.agents))


def route_fn_for(model: str) -> RouteFn:
    """The phases-1–2 function for ``model``. Only the offline model is wired so far; LLM
    models (through litellm) plug in here with the same signature."""
    if model == LOCAL_MODEL:
        return local_route
    raise CommandError(
        f"model {model!r} is not wired into bench_routing yet: only {LOCAL_MODEL!r} is "
        "(LLM models will run through the phases once coordinator.phases uses them)"
    )


def load_dataset(path: Path) -> tuple[list[AgentProfile], list[dict[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CommandError(f"no such file: {path}") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("agents"), list):
        raise CommandError(f"{path}: expected an object with 'agents' and 'cases' lists")
    agents = []
    for i, a in enumerate(data["agents"]):
        if not isinstance(a, dict) or not a.get("slug") or "description" not in a:
            raise CommandError(f"{path}: agents[{i}] needs 'slug' and 'description'")
        agents.append(
            AgentProfile(
                slug=a["slug"],
                name=a.get("name") or a["slug"],
                description=a["description"],
                capabilities=list(a.get("capabilities") or []),
                priority=int(a.get("priority", 0)),
                in_flight=int(a.get("in_flight", 0)),
                enabled=bool(a.get("enabled", True)),
            )
        )
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        raise CommandError(f"{path}: 'cases' must be a non-empty list")
    slugs = {a.slug for a in agents}
    for i, case in enumerate(cases):
        if not isinstance(case, dict) or not isinstance(case.get("query"), str):
            raise CommandError(f"{path}: cases[{i}] needs a 'query' string")
        unknown = set(case.get("agents") or []) - slugs
        if unknown:
            raise CommandError(f"{path}: cases[{i}] names unknown agents {sorted(unknown)}")
    return agents, cases


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def evaluate(
    agents: list[AgentProfile], cases: list[dict[str, Any]], route_fn: RouteFn, warmup: bool = True
) -> dict[str, Any]:
    """Figures for ``route_fn`` over ``cases`` (and the confusion/misses for --verbose)."""
    if warmup and cases:
        route_fn("warm-up", agents)  # builds the index once; not a per-route cost
    level_hits = set_hits = top1_hits = top1_total = none_hits = none_total = 0
    confusion: dict[str, dict[str, int]] = {}
    misses: list[dict[str, Any]] = []
    timings: list[float] = []
    for case in cases:
        expected_agents = list(case.get("agents") or [])
        expected_level = (case.get("level") or "").upper() if expected_agents else "NONE"
        start = time.perf_counter()
        got = route_fn(case["query"], agents)
        timings.append((time.perf_counter() - start) * 1000)
        level_ok = got.level == expected_level
        set_ok = set(got.agents) == set(expected_agents)
        level_hits += level_ok
        set_hits += set_ok
        if not expected_agents:
            none_total += 1
            none_hits += got.level == "NONE"
        elif expected_level == "LOW":
            top1_total += 1
            top1_hits += bool(got.agents) and got.agents[0] == expected_agents[0]
        row = confusion.setdefault(expected_level, {})
        row[got.level] = row.get(got.level, 0) + 1
        if not (level_ok and set_ok):
            misses.append(
                {
                    "query": case["query"],
                    "expected": {"level": expected_level, "agents": expected_agents},
                    "got": {"level": got.level, "agents": got.agents},
                }
            )
    total = len(cases)
    return {
        "figures": {
            "level_accuracy": _ratio(level_hits, total),
            "agent_set_accuracy": _ratio(set_hits, total),
            "top1_accuracy": _ratio(top1_hits, top1_total),
            "none_accuracy": _ratio(none_hits, none_total),
            "cases": total,
            "agents": len(agents),
            "p50_ms": round(_percentile(timings, 50), 3),
            "p95_ms": round(_percentile(timings, 95), 3),
        },
        "confusion": confusion,
        "misses": misses,
    }


class Command(BaseCommand):
    help = "Measure routing accuracy (phases 1–2) on a JSON dataset; prints one JSON line."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="dataset: {agents: [...], cases: [...]}")
        parser.add_argument("--model", default=LOCAL_MODEL, help=f"default {LOCAL_MODEL}")
        parser.add_argument(
            "--verbose", action="store_true", help="add the confusion matrix and up to 20 misses"
        )

    def handle(self, *args, **options):
        route_fn = route_fn_for(options["model"])
        agents, cases = load_dataset(options["file"])
        result = evaluate(agents, cases, route_fn)
        out = {"model": options["model"], **result["figures"]}
        if options["verbose"]:
            out["confusion"] = result["confusion"]
            out["misses"] = result["misses"][:20]
        self.stdout.write(json.dumps(out, ensure_ascii=False))
