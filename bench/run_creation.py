"""Run creation through the real API, embedded mode, sequential: `POST /api/canvases/<id>/runs/`
next to its peer in the same process, request for request — a `GET` of the same canvas (the
cheapest authenticated read of the same object through the same stack). In-process test
client with token authentication and the full middleware stack. One JSON line; `ratio`
(POST p50 over GET p50) comes first.

    python bench/run_creation.py [--requests 200] [--steps 5]

The canvas is a chain of --steps agent steps (default 5) calling a zero-latency python agent;
the runs it starts execute on the embedded thread pool while the next request is made, as they
would on a server. `cpu_p50_ms` is the CPU time of the request's own thread: what a request
costs, apart from the waits (the SQLite write lock, the GIL) a busy process adds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def measure(requests: int, steps: int = 5) -> dict:
    import os

    from bench import harness

    # A rate the bench stays under: the throttle still counts every request, as in production.
    os.environ["BATON_THROTTLE_RUNS"] = "1000000/min"
    harness.configure("embedded")
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from canvas.graph import plan_to_graph
    from canvas.plan import Plan
    from canvas.services import create_canvas

    harness.agent("instant", "Answers at once.", "instant")
    user, _ = harness.user_and_canvas("run-creation-owner")
    plan = Plan.model_validate(
        {
            "name": "chain",
            "steps": [
                {"id": f"s{i}", "type": "agent", "agent": "instant"}
                | ({"depends_on": [f"s{i - 1}"]} if i else {})
                for i in range(steps)
            ],
        }
    )
    canvas = create_canvas(owner=user, name="Run creation", graph=plan_to_graph(plan))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
    runs_url, canvas_url = f"/api/canvases/{canvas.pk}/runs/", f"/api/canvases/{canvas.pk}/"

    def post():
        response = client.post(runs_url, {"query": "go"}, format="json")
        assert response.status_code == 202, response.content[:500]

    def get():
        response = client.get(canvas_url)
        assert response.status_code == 200, response.content[:500]

    posts, gets, post_cpu, get_cpu = [], [], [], []
    for index in range(requests + 5):
        for operation, samples, cpu in ((get, gets, get_cpu), (post, posts, post_cpu)):
            started, started_cpu = time.perf_counter(), time.thread_time()
            operation()
            if index >= 5:  # warm-up
                samples.append(time.perf_counter() - started)
                cpu.append(time.thread_time() - started_cpu)
    post_ms, get_ms = harness.summary_ms(posts), harness.summary_ms(gets)
    # CPU time of the request's own thread: what the request costs, without the waits a
    # loaded machine (or the runs executing on the embedded pool) add.
    post_ms["cpu_p50_ms"] = round(harness.pct(post_cpu, 50) * 1000, 2)
    get_ms["cpu_p50_ms"] = round(harness.pct(get_cpu, 50) * 1000, 2)
    return {
        "bench": "run_creation",
        "ratio": {"post_over_get_p50": harness.ratio(post_ms["p50_ms"], get_ms["p50_ms"])},
        "mode": "embedded",
        "requests": requests,
        "steps": steps,
        "post": post_ms,
        "peer": "GET of the same canvas",
        "get": get_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--steps", type=int, default=5, help="agent steps in the canvas")
    args = parser.parse_args()
    print(json.dumps(measure(args.requests, args.steps), separators=(",", ":")))


if __name__ == "__main__":
    main()
