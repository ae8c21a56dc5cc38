"""Parallelism: 8 agents of 500 ms each in one HIGH coordinator run. Reports wall time over the
slowest agent (ideal 1.0), next to the peer in the same process, run for run: LangGraph, the
8 nodes in parallel then a join, with its SQLite checkpointer. One JSON line; `ratio` (Baton's
wall/slowest over the peer's) comes first.

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
        from bench.peers import langgraph_peer

        peer = langgraph_peer.fan_out(len(AGENTS), AGENT_SECONDS, durable=True)
        ratios, walls, peer_ratios = [], [], []
        for index in range(runs + 1):
            peer_seconds = peer()
            run, seconds = harness.run_and_wait(canvas, user, plan, QUERY)
            assert run.status == "succeeded", run.error
            stages = StepRun.objects.filter(run=run, parent="coord")
            assert stages.count() == 8, f"expected 8 agents, got {[s.agent for s in stages]}"
            # eight independent asks: a stage chained after another would measure the plan
            chained = {s.step_id: s.depends_on for s in stages if s.depends_on}
            assert not chained, f"the plan chained stages: {chained}"
            if index:  # the first run warms caches
                walls.append(seconds)
                ratios.append(seconds / AGENT_SECONDS)
                peer_ratios.append(peer_seconds / AGENT_SECONDS)
        baton, other = harness.pct(ratios, 50), harness.pct(peer_ratios, 50)
        return {
            "ratio": {"wall_over_slowest_p50": harness.ratio(baton, other)},
            "mode": mode,
            "peer": "langgraph+sqlite checkpointer",
            "agents": 8,
            "agent_ms": AGENT_SECONDS * 1000,
            "wall": harness.summary_ms(walls),
            "ratio_p50": round(harness.pct(ratios, 50), 3),
            "ratio_max": round(max(ratios), 3),
            "peer_ratio_p50": round(other, 3),
            "peer_ratio_max": round(max(peer_ratios), 3),
        }


if __name__ == "__main__":
    from bench.harness import main_for_modes

    main_for_modes("parallel", measure, default_runs=5)
