"""Run overhead with zero-latency python agents: LOW, MEDIUM and HIGH coordinator runs and
per-step overhead of a 20-step chain, in embedded and distributed mode. One JSON line.

    python bench/overhead.py [--runs 30] [--mode both|embedded|distributed]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUERIES = {
    "LOW": "What was our revenue last quarter?",
    "MEDIUM": "Find our revenue for last quarter, then translate that figure into German",
    "HIGH": "Show the revenue by region, the weather forecast for Paris, and translate hello into German",
}
CHAIN = 20


def measure(mode: str, runs: int) -> dict:
    from bench import harness

    env = harness.configure(mode)
    worker = None
    if mode == "distributed":
        harness.purge_queue(env)
        worker = harness.start_worker(env)
    try:
        user, canvas = harness.user_and_canvas(f"overhead-{mode}")
        harness.agent(
            "revenue", "Sales analytics: revenue, income and sales figures per region.", "instant"
        )
        harness.agent(
            "weather", "Weather forecasts: temperature, rain and wind for a city.", "instant"
        )
        harness.agent(
            "translate", "Translates text between languages such as French and German.", "instant"
        )
        coordinator = {
            "name": "overhead",
            "steps": [
                {
                    "id": "coord",
                    "type": "coordinator",
                    "agents": ["revenue", "weather", "translate"],
                }
            ],
        }
        chain = {
            "name": "chain",
            "steps": [
                {
                    "id": f"s{i}",
                    "type": "agent",
                    "agent": "revenue",
                    **({"depends_on": [f"s{i - 1}"]} if i else {}),
                }
                for i in range(CHAIN)
            ],
        }
        result = {"mode": mode, "runs": runs}
        for level, query in QUERIES.items():
            times, seen = [], set()
            for index in range(runs + 3):
                run, seconds = harness.run_and_wait(canvas, user, coordinator, query)
                assert run.status == "succeeded", run.error
                seen.add(run.complexity["level"])
                if index >= 3:
                    times.append(seconds)
            assert seen == {level}, f"{query!r} routed as {seen}, expected {level}"
            result[level] = harness.summary_ms(times)
        per_step = []
        for index in range(max(runs // 3, 5) + 1):
            run, seconds = harness.run_and_wait(canvas, user, chain, "step")
            if index:
                per_step.append(seconds / CHAIN)
        result["per_step"] = harness.summary_ms(per_step)
        return result
    finally:
        if worker:
            worker.terminate()
            worker.wait(10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--mode", choices=["both", "embedded", "distributed"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode != "both":
        result = measure(args.mode, args.runs)
        print(json.dumps(result, separators=(",", ":")))
        return
    merged = {"bench": "overhead", "runs": args.runs}
    for mode in ("embedded", "distributed"):  # settings are per process: one child per mode
        out = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            check=True,
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        merged[mode] = {k: v for k, v in data.items() if k not in ("mode", "runs")}
    print(json.dumps(merged, separators=(",", ":")))


if __name__ == "__main__":
    main()
