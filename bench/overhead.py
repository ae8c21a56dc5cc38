"""Run overhead with zero-latency python agents: LOW, MEDIUM and HIGH coordinator runs and
per-step overhead of a 20-step chain, in embedded and distributed mode. One JSON line.

    python bench/overhead.py [--runs 30] [--mode both|embedded|distributed]
"""

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

    with harness.Mode(mode):
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


if __name__ == "__main__":
    from bench.harness import main_for_modes

    main_for_modes("overhead", measure, default_runs=30)
