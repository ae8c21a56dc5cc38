"""Canvas I/O through the real API: validate, save and load a 1,000-node / 1,500-edge canvas.

    python bench/canvas_io.py [--nodes 1000] [--edges 1500] [--iterations 30]

Runs in-process against a throwaway SQLite database (a temp dir, migrated here), with token
authentication and the full middleware stack, and times each request from the client's call
to the rendered response (wall time; CPU time too, so a busy machine can be told from slow
code). Prints one JSON line; all times in milliseconds.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=1500)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after setup, as a server could at startup (shortens GC pauses)",
    )
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="baton-bench-")
    # Everything that selects the database must be set before Django reads its settings.
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "coordinator.settings"
    os.environ["BATON_VAR_DIR"] = tmp.name
    os.environ["BATON_SQLITE_PATH"] = str(Path(tmp.name) / "bench.sqlite3")
    os.environ.setdefault("BATON_SECRET_KEY", "bench-only-secret")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from canvas.models import Agent
    from tests.canvas.graph_factory import generate_graph

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench")
    token = Token.objects.create(user=user)
    graph = generate_graph(nodes=args.nodes, edges=args.edges, seed=0)
    slugs = sorted(
        {
            n["data"]["config"]["agent"]
            for n in graph["nodes"]
            if n["type"] == "sub_agent" and n["data"]["config"].get("agent")
        }
    )
    Agent.objects.bulk_create(
        Agent(slug=slug, name=slug, description=f"Benchmark agent {slug}.") for slug in slugs
    )

    if args.gc_freeze:
        gc.collect()
        gc.freeze()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    created = client.post("/api/canvases/", {"name": "Bench"}, format="json")
    assert created.status_code == 201, created.content
    base = f"/api/canvases/{created.json()['id']}/"

    save_body = json.dumps({"graph": graph, "message": "bench"}).encode()
    validate_body = json.dumps({"graph": graph}).encode()

    def post(path: str, body: bytes, expected: int):
        response = client.generic("POST", path, body, content_type="application/json")
        assert response.status_code == expected, (
            path,
            response.status_code,
            response.content[:500],
        )
        return response

    def validate():
        response = post(base + "validate/", validate_body, 200)
        assert response.json()["valid"], response.json()["problems"][:5]

    def save():
        post(base + "versions/", save_body, 201)

    def load():
        response = client.get(base)
        assert response.status_code == 200
        return response

    results: dict[str, object] = {"nodes": args.nodes, "edges": args.edges}
    cpu_figures: dict[str, float] = {}
    for name, operation in (("validate", validate), ("save", save), ("load", load)):
        for _ in range(args.warmup):
            operation()
        samples, cpu = [], []
        for _ in range(args.iterations):
            start, start_cpu = time.perf_counter(), time.process_time()
            operation()
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        results[f"{name}_p50_ms"] = round(statistics.median(samples), 1)
        results[f"{name}_p95_ms"] = round(percentile(samples, 95), 1)
        cpu_figures[f"{name}_cpu_p50_ms"] = round(statistics.median(cpu), 1)
        cpu_figures[f"{name}_cpu_p95_ms"] = round(percentile(cpu, 95), 1)
    loaded = load()
    assert loaded.json()["graph"] == graph
    results["graph_bytes"] = len(save_body) - len(b'{"graph": , "message": "bench"}')
    results["load_response_bytes"] = len(loaded.content)
    results["iterations"] = args.iterations
    results["gc_freeze"] = args.gc_freeze
    results.update(cpu_figures)  # CPU time: tells GC pauses from a busy machine
    results["load_average_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results))
    tmp.cleanup()


if __name__ == "__main__":
    main()
