"""``python manage.py bench_routing FILE.json [--model baton/local] [--verbose]``
``python manage.py bench_routing --set NAME [--verbose]``

Runs phases 1–2 (complexity and selection) over a routing dataset and prints ONE JSON line
of figures. The dataset is ``{"agents": [{"slug", "name", "description", ...}], "cases":
[{"query", "level", "agents": [slugs]}]}``; a case with an empty ``agents`` list means "no
suitable agent", and its expected level is NONE whatever its ``level`` says.

With a FILE it needs no database: agents are built from the file, never from the registry.
With ``--set NAME`` it runs the routing test set stored in the database against the
registry's current agents and stores the result (as the admin action and the API do).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coordinator.models import RoutingTestSet
from coordinator.offline.router import AgentProfile
from coordinator.workbench.evaluation import LOCAL_MODEL, RouteFn, evaluate, local_route
from coordinator.workbench.test_sets import run_set


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
                examples=_strings(a.get("examples"), f"{path}: agents[{i}].examples"),
                counter_examples=_strings(
                    a.get("counter_examples"), f"{path}: agents[{i}].counter_examples"
                ),
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


def with_examples(agents: list[AgentProfile], path: Path) -> list[AgentProfile]:
    """The agents with example queries from ``path`` ({slug: [str]}) added to their own."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CommandError(f"--examples {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"--examples {path}: expected an object {{slug: [examples]}}")
    unknown = sorted(set(data) - {a.slug for a in agents})
    if unknown:
        raise CommandError(f"--examples {path}: unknown agents {unknown}")
    for agent in agents:
        extra = _strings(data.get(agent.slug), f"--examples {path}: {agent.slug}")
        agent.examples = [*agent.examples, *extra]
    return agents


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CommandError(f"{where} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


class Command(BaseCommand):
    help = "Measure routing accuracy (phases 1–2) on a JSON dataset; prints one JSON line."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, nargs="?", help="dataset: {agents: [...], cases: [...]}"
        )
        parser.add_argument("--set", metavar="NAME", help="run a stored routing test set instead")
        parser.add_argument(
            "--examples",
            type=Path,
            metavar="FILE",
            help="JSON {slug: [example queries]} given to the file's agents",
        )
        parser.add_argument("--model", default=LOCAL_MODEL, help=f"default {LOCAL_MODEL}")
        parser.add_argument(
            "--verbose", action="store_true", help="add the confusion matrix and up to 20 misses"
        )

    def handle(self, *args, **options):
        if options["set"]:
            if options["file"]:
                raise CommandError("give a FILE or --set NAME, not both")
            return self._run_stored(options)
        if not options["file"]:
            raise CommandError("give a dataset FILE or --set NAME")
        route_fn = route_fn_for(options["model"])
        agents, cases = load_dataset(options["file"])
        if options["examples"]:
            agents = with_examples(agents, options["examples"])
        result = evaluate(agents, cases, route_fn)
        out = {"model": options["model"], **result["figures"]}
        if options["verbose"]:
            out["confusion"] = result["confusion"]
            out["misses"] = result["misses"][:20]
        self.stdout.write(json.dumps(out, ensure_ascii=False))

    def _run_stored(self, options):

        route_fn_for(options["model"])  # the same clear error for unwired models
        test_set = RoutingTestSet.objects.filter(name=options["set"]).first()
        if test_set is None:
            names = ", ".join(RoutingTestSet.objects.values_list("name", flat=True)[:20])
            raise CommandError(f"no routing test set {options['set']!r} (sets: {names or 'none'})")
        run = run_set(test_set, trigger="command", model=options["model"])
        if run.status != "done":
            raise CommandError(f"test set {test_set.name} failed: {run.error}")
        out = {"model": run.model, "set": test_set.name, "run": run.pk, **run.figures}
        if options["verbose"]:
            out["agent_confusion"] = run.agent_confusion
            out["misses"] = run.misses[:20]
        self.stdout.write(json.dumps(out, ensure_ascii=False))
