"""Speed of pure, in-process work that used to be asserted in tests (tests now check work
budgets instead): validating a 1,000-node / 1,500-edge canvas graph, and routing one query
among the 20+ agents of bench/routing/dev.json with the offline router. One JSON line.

    python bench/pure_speed.py [--iterations 30]

Each figure is a median in milliseconds (wall and CPU), with its ratio against a peer: a
fixed pure-Python workload timed in the same process (`peer_ms`), so that a busy or slow
machine can be told from slower code. The former test budgets were 50 ms (validation, best
of five) and 5 ms (routing, median); `*_within_budget` compares the medians with them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VALIDATION_BUDGET_MS = 50.0
ROUTING_BUDGET_MS = 5.0


def peer() -> int:
    """The reference workload: a little of everything pure Python does (loops, dicts, str)."""
    seen: dict[str, int] = {}
    for i in range(20_000):
        key = f"n{i % 977}"
        seen[key] = seen.get(key, 0) + i
    return len(seen)


def timed(operation, iterations: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `operation` (after one warm-up call)."""
    operation()
    walls, cpus = [], []
    for _ in range(iterations):
        wall, cpu = time.perf_counter(), time.process_time()
        operation()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordinator.settings")
    os.environ.setdefault("BATON_SECRET_KEY", "bench-only-secret")
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from canvas.graph import validate_graph
    from coordinator.offline.router import AgentProfile, route
    from tests.canvas.graph_factory import generate_graph

    graph = generate_graph(nodes=1000, edges=1500, seed=0)
    data = json.loads((ROOT / "bench" / "routing" / "dev.json").read_text())
    agents = [AgentProfile(a["slug"], a["name"], a["description"]) for a in data["agents"]]
    queries = [c["query"] for c in data["cases"]]
    counter = iter(range(10**9))

    def route_fresh_query():
        n = next(counter)  # a fresh query each time: no decision cache hits
        route(f"{queries[n % len(queries)]} #{n}", agents)

    peer_ms, _ = timed(peer, args.iterations)
    validate_ms, validate_cpu = timed(lambda: validate_graph(graph), args.iterations)
    route_ms, route_cpu = timed(route_fresh_query, max(args.iterations, len(queries)))
    print(
        json.dumps(
            {
                "peer_ms": round(peer_ms, 2),
                "validate_1000_nodes_ms": round(validate_ms, 2),
                "validate_1000_nodes_cpu_ms": round(validate_cpu, 2),
                "validate_vs_peer": round(validate_ms / peer_ms, 2),
                "validate_within_budget": validate_ms < VALIDATION_BUDGET_MS,
                "route_20_agents_ms": round(route_ms, 3),
                "route_20_agents_cpu_ms": round(route_cpu, 3),
                "route_vs_peer": round(route_ms / peer_ms, 3),
                "route_within_budget": route_ms < ROUTING_BUDGET_MS,
                "agents": len(agents),
                "iterations": args.iterations,
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
        )
    )


if __name__ == "__main__":
    main()
