"""Parallelism: 8 agents of 500 ms each in one HIGH coordinator run. Reports wall time over the
slowest agent (ideal 1.0). One JSON line.

    python bench/parallel.py [--runs 5] [--mode both|embedded|distributed]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AGENTS = {
    "weather": "Weather forecasts: temperature, rain and wind for a city.",
    "stocks": "Stock market quotes and share prices for listed companies.",
    "news": "News headlines and articles about current events.",
    "sales": "Sales analytics: revenue and income per region and quarter.",
    "calendar": "Calendar: meetings, appointments and schedules.",
    "shipping": "Shipment tracking: parcel delivery status and carriers.",
    "currency": "Currency exchange rates between world currencies.",
    "translate": "Translates text between languages such as French and German.",
}
QUERY = (
    "Give me the weather in Paris, the latest stock quotes, today's news headlines, our revenue "
    "by region, my meetings tomorrow, the delivery status of my parcel, the euro to dollar "
    "exchange rate, and translate hello into German"
)
AGENT_SECONDS = 0.5


def measure(mode: str, runs: int) -> dict:
    from bench import harness

    with harness.Mode(mode):
        from coordinator.models import StepRun

        user, canvas = harness.user_and_canvas(f"parallel-{mode}")
        for slug, description in AGENTS.items():
            harness.agent(slug, description, "half_second")
        plan = {
            "name": "parallel",
            "steps": [
                {
                    "id": "coord",
                    "type": "coordinator",
                    "agents": list(AGENTS),
                    "config": {"enable_reflection": False},
                }
            ],
        }
        ratios, walls = [], []
        for index in range(runs + 1):
            run, seconds = harness.run_and_wait(canvas, user, plan, QUERY)
            assert run.status == "succeeded", run.error
            stages = StepRun.objects.filter(run=run, parent="coord")
            assert stages.count() == 8, f"expected 8 agents, got {[s.agent for s in stages]}"
            if index:  # the first run warms caches
                walls.append(seconds)
                ratios.append(seconds / AGENT_SECONDS)
        return {
            "mode": mode,
            "agents": 8,
            "agent_ms": AGENT_SECONDS * 1000,
            "wall": harness.summary_ms(walls),
            "ratio_p50": round(harness.pct(ratios, 50), 3),
            "ratio_max": round(max(ratios), 3),
        }


if __name__ == "__main__":
    from bench.harness import main_for_modes

    main_for_modes("parallel", measure, default_runs=5)
