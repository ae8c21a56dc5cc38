"""Routing speed with 50 agents, with and without example queries (the peer).

    python bench/routing_speed.py [--agents 50] [--examples 5]

Agents come from bench/routing/*.json (slugs made unique); each gets up to ``--examples``
example queries: its own from the file when it has them, else its description's clauses.
Every query routed is new (no decision cache hits); the index is built once per agent set,
as in a server. Prints one JSON line,
times in milliseconds; ``ratio`` is p50 with examples over p50 without.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ("holdout2", "dev", "dev2", "dev3", "test", "holdout")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordinator.settings")
    import django

    django.setup()
    from coordinator.offline.router import AgentProfile, route

    agents, queries = [], []
    for name in SETS:
        data = json.loads((ROOT / "bench" / "routing" / f"{name}.json").read_text())
        queries += [c["query"] for c in data["cases"]]
        for a in data["agents"]:
            examples = a.get("examples") or [
                clause.strip()
                for clause in re.split(r"[,;:.]", a["description"])
                if len(clause.split()) >= 2
            ]
            agents.append(
                AgentProfile(
                    f"{name}-{a['slug']}",
                    a.get("name") or a["slug"],
                    a["description"],
                    examples=examples[: args.examples],
                )
            )
    agents = agents[: args.agents]
    plain = [AgentProfile(a.slug, a.name, a.description) for a in agents]

    from bench.pure_speed import peer, timed

    def timings(pool, tag: str) -> tuple[list[float], list[float]]:
        route("warm up", pool)
        walls, cpus = [], []
        for i, query in enumerate(queries):
            wall, cpu = time.perf_counter(), time.process_time()
            route(f"{query} {tag}{i}", pool)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        return walls, cpus

    peer_ms, _ = timed(peer, 30)
    with_examples, cpu = timings(agents, "e")
    without, _ = timings(plain, "p")

    def pct(values: list[float], q: int) -> float:
        return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 3)

    print(
        json.dumps(
            {
                "bench": "routing_speed",
                "agents": len(agents),
                "examples_per_agent": args.examples,
                "queries": len(queries),
                "p50_ms": pct(with_examples, 50),
                "p50_cpu_ms": pct(cpu, 50),
                "p95_ms": pct(with_examples, 95),
                "p50_ms_without_examples": pct(without, 50),
                "vs_without_examples": round(pct(with_examples, 50) / pct(without, 50), 3),
                "peer_ms": round(peer_ms, 2),
                "vs_peer": round(pct(with_examples, 50) / peer_ms, 3),
                "within_budget": pct(with_examples, 50) < 5.0,
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
