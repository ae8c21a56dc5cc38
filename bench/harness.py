"""Shared set-up for benchmarks: Django in embedded or distributed mode, a worker, timing."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/baton_bench")
REDIS_URL = os.environ.get(
    "BENCH_REDIS_URL", os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/7")
)


def configure(mode: str) -> dict:
    """Environment for `mode` ('embedded' or 'distributed'); call before django.setup()."""
    from bench.agents import ALL

    env = {
        "DJANGO_SETTINGS_MODULE": "coordinator.settings",
        "BATON_PYTHON_AGENTS": ",".join(ALL),
        "BATON_SWEEPER": "false",
        "BATON_LOG_LEVEL": "ERROR",
        "BATON_EMBEDDED_WORKERS": "16",
    }
    if mode == "distributed":
        _ensure_database(PG_URL)
        env.update({"REDIS_URL": REDIS_URL, "DATABASE_URL": PG_URL})
    else:
        var = tempfile.mkdtemp(prefix="baton-bench-")
        env.update({"BATON_VAR_DIR": var, "REDIS_URL": "", "DATABASE_URL": ""})
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def start_worker(env: dict, concurrency: int = 16):
    """A real Celery worker (the test suite's Worker: it keeps draining the worker's output)."""
    from tests.workers import Worker

    return Worker({**os.environ, **env, "BATON_SWEEPER": "true"}, concurrency, name="bench")


def purge_queue(env: dict) -> None:
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).delete("celery")


def user_and_canvas(slug: str):
    from django.contrib.auth.models import User

    from canvas.models import Canvas, CanvasVersion

    user, _ = User.objects.get_or_create(username="bench")
    canvas, created = Canvas.objects.get_or_create(
        slug=slug, defaults={"name": slug, "owner": user}
    )
    if created:
        CanvasVersion.objects.create(
            canvas=canvas, number=1, author=user, graph={"nodes": [], "edges": []}
        )
        canvas.latest_version = 1
        canvas.save()
    return user, canvas


def agent(slug: str, description: str, fn: str):
    from canvas.models import Agent

    Agent.objects.update_or_create(
        slug=slug,
        defaults={
            "name": slug,
            "description": description,
            "kind": "python",
            "kind_config": {"callable": f"bench.agents.{fn}"},
            "max_concurrency": 0,
            "shared_with_all_teams": True,  # usable by the bench's user (tenancy rules)
        },
    )


def run_and_wait(canvas, user, plan: dict, query: str, timeout: float = 60.0):
    """Start a run; return (run, wall seconds from the start call to the terminal status)."""
    from canvas.plan import Plan
    from coordinator import engine
    from coordinator.models import RUN_TERMINAL, Run

    plan = Plan.model_validate(plan)
    started = time.perf_counter()
    run = engine.start_run(canvas, user=user, query=query, plan=plan)
    deadline = started + timeout
    while time.perf_counter() < deadline:
        status = Run.objects.filter(pk=run.pk).values_list("status", flat=True)[0]
        if status in RUN_TERMINAL:
            run.refresh_from_db()
            return run, run_seconds(run)
        time.sleep(0.005)  # timing comes from the database clock; polling gently
    raise RuntimeError(f"run {run.pk} did not finish")


def run_seconds(run) -> float:
    """Recorded wall time of a run: from creation to its terminal status (database clock)."""
    return (run.finished_at - run.created).total_seconds()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> dict:
    return {
        "p50_ms": round(pct(values, 50) * 1000, 2),
        "p95_ms": round(pct(values, 95) * 1000, 2),
        "mean_ms": round(statistics.fmean(values) * 1000, 2),
    }


def emit(result: dict) -> None:
    print(json.dumps(result, separators=(",", ":")))


def ratio(baton: float, peer: float) -> float:
    """Baton over its peer, measured in the same invocation (the headline of a benchmark)."""
    return round(baton / peer, 2) if peer else float("nan")


def main_for_modes(name: str, measure, default_runs: int) -> None:
    """CLI shared by engine benchmarks: --mode both runs each mode in its own process (settings
    are fixed per process) and prints one merged JSON line whose first key, `ratio`, holds
    every mode's ratios to its peer."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=default_runs)
    parser.add_argument("--mode", choices=["both", "embedded", "distributed"], default="both")
    args = parser.parse_args()
    if args.mode != "both":
        result = measure(args.mode, args.runs)
        print(json.dumps({"ratio": result.pop("ratio"), **result}, separators=(",", ":")))
        return
    merged = {"bench": name, "ratio": {}, "runs": args.runs}
    script = sys.argv[0]
    for mode in ("embedded", "distributed"):
        out = subprocess.run(
            [sys.executable, script, "--mode", mode, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
        )
        if out.returncode:
            raise SystemExit(f"{name} --mode {mode} failed:\n{out.stderr[-3000:]}")
        merged[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        for key, value in merged[mode].pop("ratio").items():
            merged["ratio"][f"{mode}_{key}"] = value
    print(json.dumps(merged, separators=(",", ":")))


class Mode:
    """Context manager: Django configured for a mode, with a worker when distributed."""

    def __init__(self, mode: str, concurrency: int = 16):
        self.mode, self.concurrency, self.worker = mode, concurrency, None

    def __enter__(self):
        env = configure(self.mode)
        if self.mode == "distributed":
            purge_queue(env)
            self.worker = start_worker(env, self.concurrency)
        return self

    def __exit__(self, *exc):
        if self.worker:
            self.worker.stop()
