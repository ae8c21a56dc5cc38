"""Pipeline pattern: 20 items through 3 stages of 50 ms each. Items flow to the next stage as
they are produced, so the ideal wall time is (n + s - 1) * t = 1.1 s. Reports wall over ideal,
next to the peer in the same process, run for run: the same pipeline on plain threads and
queues (bench/peers/threads_pipeline.py), the floor this machine allows. One JSON line;
`ratio` (Baton's wall/ideal over the peer's) comes first.

    python bench/pipeline.py [--runs 5] [--mode both|embedded|distributed]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ITEMS, STAGES, STAGE_SECONDS = 20, 3, 0.05
IDEAL = (ITEMS + STAGES - 1) * STAGE_SECONDS
QUERY = "Fetch the records from the source system, then enrich each record, then score each enriched record for risk"


def measure(mode: str, runs: int) -> dict:
    from bench import harness

    with harness.Mode(mode, concurrency=32):
        from coordinator.models import StepRun

        user, canvas = harness.user_and_canvas(f"pipeline-{mode}")
        harness.agent(
            "source",
            "Fetches records from the source system and streams them one by one.",
            "produce",
        )
        harness.agent("enricher", "Enriches each record with extra details.", "stage")
        harness.agent("scorer", "Scores each enriched record for risk.", "stage")
        plan = {
            "name": "pipeline",
            "steps": [
                {
                    "id": "coord",
                    "type": "coordinator",
                    "agents": ["source", "enricher", "scorer"],
                    "config": {"coordination_strategy": "pipeline", "enable_reflection": False},
                }
            ],
        }
        from bench.peers import threads_pipeline

        ratios, walls, peer_ratios = [], [], []
        for index in range(runs + 1):
            peer_seconds = threads_pipeline.run_once(ITEMS, STAGES, STAGE_SECONDS)
            run, seconds = harness.run_and_wait(canvas, user, plan, QUERY)
            assert run.status == "succeeded", run.error
            steps = StepRun.objects.filter(run=run, parent="coord", status="succeeded").count()
            assert steps == 1 + 2 * ITEMS, f"expected {1 + 2 * ITEMS} stage steps, got {steps}"
            if index:
                walls.append(seconds)
                ratios.append(seconds / IDEAL)
                peer_ratios.append(peer_seconds / IDEAL)
        baton, other = harness.pct(ratios, 50), harness.pct(peer_ratios, 50)
        return {
            "ratio": {"wall_over_ideal_p50": harness.ratio(baton, other)},
            "mode": mode,
            "peer": "plain threads and queues",
            "items": ITEMS,
            "stages": STAGES,
            "stage_ms": STAGE_SECONDS * 1000,
            "ideal_ms": round(IDEAL * 1000),
            "wall": harness.summary_ms(walls),
            "ratio_p50": round(harness.pct(ratios, 50), 3),
            "ratio_max": round(max(ratios), 3),
            "peer_ratio_p50": round(other, 3),
            "peer_ratio_max": round(max(peer_ratios), 3),
        }


if __name__ == "__main__":
    from bench.harness import main_for_modes

    main_for_modes("pipeline", measure, default_runs=5)
