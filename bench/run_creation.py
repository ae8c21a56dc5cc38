"""Run creation through the real API: `POST /api/canvases/<id>/runs/`, next to its peer in the
same invocation, request for request — a `GET` of the same canvas (the cheapest authenticated
read of the same object through the same stack). One JSON line; `ratio` comes first.

    python bench/run_creation.py [--mode both|embedded|distributed] [--steps 5]
                                 [--requests 200]                      (embedded)
                                 [--seconds 3] [--rounds 2] [--servers 2]
                                 [--client-processes 2] [--connections 8]   (distributed)

The canvas is a chain of --steps agent steps (default 5) calling a zero-latency python agent.

**embedded**, sequential: in-process test client with token authentication and the full
middleware stack; the runs it starts execute on the embedded thread pool while the next
request is made, as they would on a server. Ratio: POST p50 over GET p50. `cpu_p50_ms` is
the CPU time of the request's own thread: what a request costs, apart from the waits (the
SQLite write lock, the GIL) a busy process adds.

**distributed**, throughput: --servers real daphnes on PostgreSQL + Redis and a real Celery
worker that executes the runs as they are created. Client processes of their own
(bench/http_clients.py: --connections keep-alive connections each, round-robin over the
daphnes, one token per connection, each token a different member of the canvas's team) send
POSTs back to back for --seconds, then GETs of the same canvas for as long, through the same
servers and with the worker still draining; --rounds times, alternating which goes first.
Ratio: GETs/s over runs/s (1.0 = creating a run costs the servers what reading the canvas
does). Every 202 is checked against the runs in the database. `worker` is what executing the
runs took of the same cores meanwhile (its CPU as cores used, and per run it finished).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
# A throttle the bench stays under: it still counts every request, as in production; a
# one-second window keeps its per-user history as short as a production rate's.
THROTTLE = "1000000/s"


def chain(steps: int) -> dict:
    return {
        "name": "chain",
        "steps": [
            {"id": f"s{i}", "type": "agent", "agent": "instant"}
            | ({"depends_on": [f"s{i - 1}"]} if i else {})
            for i in range(steps)
        ],
    }


def measure_embedded(requests: int, steps: int = 5) -> dict:
    from bench import harness

    os.environ["BATON_THROTTLE_RUNS"] = THROTTLE
    harness.configure("embedded")
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from canvas.graph import plan_to_graph
    from canvas.plan import Plan
    from canvas.services import create_canvas

    harness.agent("instant", "Answers at once.", "instant")
    user, _ = harness.user_and_canvas("run-creation-owner")
    graph = plan_to_graph(Plan.model_validate(chain(steps)))
    canvas = create_canvas(owner=user, name="Run creation", graph=graph)
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
        "ratio": {"post_over_get_p50": harness.ratio(post_ms["p50_ms"], get_ms["p50_ms"])},
        "bench": "run_creation",
        "mode": "embedded",
        "requests": requests,
        "steps": steps,
        "post": post_ms,
        "peer": "GET of the same canvas",
        "get": get_ms,
    }


class Clients:
    """Client processes (bench/http_clients.py) that all run one command at a time."""

    def __init__(self, urls: list[str], tokens: list[str], processes: int, connections: int):
        self.procs = []
        for index in range(processes):
            self.procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(ROOT / "bench" / "http_clients.py"),
                        ",".join(urls),
                        ",".join(tokens),
                        str(connections),
                        str(index * connections),
                    ],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        for proc in self.procs:
            if proc.stdout.readline().strip() != "ready":
                self.stop()
                raise RuntimeError(f"a client process did not connect (exit {proc.wait()})")

    def run(self, method: str, path: str, expect: int, seconds: float, body=None) -> dict:
        # Every process starts at once: the window is set in wall-clock time for all.
        command = {
            "method": method,
            "path": path,
            "body": body,
            "expect": expect,
            "until": time.time() + 0.2 + seconds,
        }
        for proc in self.procs:
            proc.stdin.write(json.dumps(command) + "\n")
            proc.stdin.flush()
        merged = {"ok": 0, "bad": {}, "latencies": [], "first": float("inf"), "last": 0.0}
        for proc in self.procs:
            result = json.loads(proc.stdout.readline())
            merged["ok"] += result["ok"]
            merged["latencies"] += result["latencies"]
            merged["first"] = min(merged["first"], result["first"])
            merged["last"] = max(merged["last"], result["last"])
            for key, count in result["bad"].items():
                merged["bad"][key] = merged["bad"].get(key, 0) + count
        merged["seconds"] = merged["last"] - merged["first"]
        return merged

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    proc.stdin.write("\n")
                    proc.stdin.flush()
                    proc.wait(10)
                except (OSError, subprocess.TimeoutExpired):
                    proc.kill()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process, of its children it waited for, and of its live descendants (the
    worker's agent processes)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15]) / ticks  # utime stime cutime cstime
        todo += parents.get(current, [])
    return total


def throughput(windows: list[dict]) -> dict:
    from bench import harness

    ok = sum(w["ok"] for w in windows)
    seconds = sum(w["seconds"] for w in windows)
    latencies = [x for w in windows for x in w["latencies"]]
    bad: dict = {}
    for window in windows:
        for key, count in window["bad"].items():
            bad[key] = bad.get(key, 0) + count
    return {
        "per_s": round(ok / seconds, 1) if seconds else 0.0,
        "ok": ok,
        "bad": bad,
        "p50_ms": round(harness.pct(latencies, 50) * 1000, 1),
        "p99_ms": round(harness.pct(latencies, 99) * 1000, 1),
        "server_cpu_ms_per_request": round(sum(w["server_cpu"] for w in windows) / ok * 1000, 2)
        if ok
        else None,
    }


def measure_distributed(
    seconds: float, rounds: int, steps: int, servers: int, processes: int, connections: int
) -> dict:
    from bench import harness

    os.environ["BATON_THROTTLE_RUNS"] = THROTTLE
    env = harness.configure("distributed")
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from canvas.graph import plan_to_graph
    from canvas.plan import Plan
    from canvas.services import create_canvas
    from coordinator.models import RUN_TERMINAL, Run, RunStatus
    from tests.servers import Daphne

    harness.agent("instant", "Answers at once.", "instant")
    team, _ = Group.objects.get_or_create(name="run-creation-team")
    users = []
    for index in range(processes * connections):
        user, _ = User.objects.get_or_create(username=f"run-creation-{index}")
        user.groups.add(team)
        users.append(user)
    tokens = [Token.objects.get_or_create(user=user)[0].key for user in users]
    # Runs left by an earlier invocation would keep this one's worker busy (its sweeper
    # nudges queued runs): end them first.
    Run.objects.filter(canvas__team=team).exclude(status__in=RUN_TERMINAL).update(
        status=RunStatus.CANCELLED
    )
    graph = plan_to_graph(Plan.model_validate(chain(steps)))
    canvas = create_canvas(owner=users[0], name="Run creation", graph=graph)
    canvas.team = team
    canvas.save(update_fields=["team"])
    runs_path, canvas_path = f"/api/canvases/{canvas.pk}/runs/", f"/api/canvases/{canvas.pk}/"

    harness.purge_queue(env)
    worker = harness.start_worker(env)
    server_env = {**os.environ, **env, "BATON_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    daphnes, clients = [], None
    try:
        daphnes = [Daphne(server_env) for _ in range(servers)]
        clients = Clients([d.url for d in daphnes], tokens, processes, connections)

        def window(*request, length: float, body=None) -> dict:
            # The daphnes' own CPU time per answered request: what a request costs the
            # servers, which a busy machine's waits do not inflate as they do the rates.
            before = sum(cpu_seconds(d.process.pid) for d in daphnes)
            result = clients.run(*request, length, body=body)
            spent = sum(cpu_seconds(d.process.pid) for d in daphnes) - before
            result["server_cpu"] = spent
            return result

        def post_window(length: float) -> dict:
            return window("POST", runs_path, 202, length=length, body={"query": "go"})

        def get_window(length: float) -> dict:
            return window("GET", canvas_path, 200, length=length)

        warm_up = post_window(1)  # not counted: first requests of each connection and server
        get_window(1)
        # The worker executing the runs shares the machine's cores with the servers.
        worker_before, started = tree_cpu_seconds(worker.process.pid), time.monotonic()
        finished_before = Run.objects.filter(canvas=canvas, status__in=RUN_TERMINAL).count()
        posts, gets = [], []
        for index in range(rounds):
            # Alternate who goes first, so neither always follows the other's aftermath.
            if index % 2 == 0:
                posts.append(post_window(seconds))
                gets.append(get_window(seconds))
            else:
                gets.append(get_window(seconds))
                posts.append(post_window(seconds))
        worker_cpu = tree_cpu_seconds(worker.process.pid) - worker_before
        elapsed = time.monotonic() - started
        created = Run.objects.filter(canvas=canvas).count()
        finished = Run.objects.filter(canvas=canvas, status__in=RUN_TERMINAL).count()
        failed = Run.objects.filter(canvas=canvas, status=RunStatus.FAILED).count()
    finally:
        if clients is not None:
            clients.stop()
        for daphne in daphnes:
            daphne.stop()
            if os.environ.get("RUN_CREATION_DEBUG"):
                print("\n".join(daphne.output), file=sys.stderr)
        worker.stop()
    # What the worker did not reach is ended, so a later invocation does not inherit it.
    Run.objects.filter(canvas=canvas).exclude(status__in=RUN_TERMINAL).update(
        status=RunStatus.CANCELLED
    )
    post, get = throughput(posts), throughput(gets)
    return {
        "ratio": {
            "get_rate_over_post_rate": harness.ratio(get["per_s"], post["per_s"]),
            "post_over_get_server_cpu": harness.ratio(
                post["server_cpu_ms_per_request"] or 0, get["server_cpu_ms_per_request"] or 0
            ),
        },
        "bench": "run_creation",
        "mode": "distributed",
        "servers": servers,
        "client_processes": processes,
        "connections": processes * connections,
        "seconds": seconds,
        "rounds": rounds,
        "steps": steps,
        "post": post,
        "peer": "GET of the same canvas, same clients and servers",
        "get": get,
        # Every 202 is a run in the database: the two figures are equal.
        "posts_answered_202": warm_up["ok"] + post["ok"],
        "runs_created": created,
        "runs_finished_by_the_end": finished,
        "runs_failed": failed,
        # While the windows ran: the worker's CPU (its agent processes included), as cores
        # of the machine and per run it finished.
        "worker": {
            "cores_used": round(worker_cpu / elapsed, 2) if elapsed else None,
            "cpu_ms_per_run_finished": round(worker_cpu / (finished - finished_before) * 1000, 2)
            if finished > finished_before
            else None,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["both", "embedded", "distributed"], default="both")
    parser.add_argument("--steps", type=int, default=5, help="agent steps in the canvas")
    parser.add_argument("--requests", type=int, default=200, help="embedded: POSTs and GETs")
    parser.add_argument("--seconds", type=float, default=3, help="distributed: each window")
    parser.add_argument("--rounds", type=int, default=2, help="distributed: POST+GET windows")
    parser.add_argument("--servers", type=int, default=2, help="distributed: daphnes")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8, help="per client process")
    args = parser.parse_args()
    if args.mode == "embedded":
        result = measure_embedded(args.requests, args.steps)
    elif args.mode == "distributed":
        result = measure_distributed(
            args.seconds,
            args.rounds,
            args.steps,
            args.servers,
            args.client_processes,
            args.connections,
        )
    else:
        # Each mode in a process of its own: settings are fixed per process.
        result = {"ratio": {}, "bench": "run_creation"}
        for mode in ("embedded", "distributed"):
            options = [
                f"--{name.replace('_', '-')}={value}"
                for name, value in vars(args).items()
                if name != "mode"
            ]
            out = subprocess.run(
                [sys.executable, __file__, *options, f"--mode={mode}"],
                capture_output=True,
                text=True,
            )
            if out.returncode:
                raise SystemExit(f"run_creation --mode {mode} failed:\n{out.stderr[-3000:]}")
            result[mode] = json.loads(out.stdout.strip().splitlines()[-1])
            for key, value in result[mode].pop("ratio").items():
                result["ratio"][f"{mode}_{key}"] = value
    print(json.dumps(result, separators=(",", ":")))


if __name__ == "__main__":
    main()
