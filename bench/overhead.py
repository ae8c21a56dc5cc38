"""Run overhead with zero-latency python agents: LOW, MEDIUM and HIGH coordinator runs and
per-step overhead of a 20-step chain, in embedded and distributed mode, each next to its peer
in the same process, run for run (interleaved, so a busy machine slows both alike):

- embedded: LangGraph with its SQLite checkpointer (durable, like embedded mode's SQLite) —
  a LOW-shaped graph (route, agent, synthesis) and a 20-node chain; also without persistence.
- distributed: a bare Celery app on the same Redis, threads worker — a 3-hop chain (the LOW
  shape) and a 20-hop chain of no-op tasks.

One JSON line; `ratio` (Baton p50 over peer p50) comes first.

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
        peer = Peers(mode)
        try:
            result = {"mode": mode, "runs": runs, "peer": peer.name}
            peer_low, peer_low_memory = [], []
            for level, query in QUERIES.items():
                times, seen = [], set()
                for index in range(runs + 3):
                    if level == "LOW":
                        peer_low.append(peer.low())
                        if peer.low_memory:
                            peer_low_memory.append(peer.low_memory())
                    run, seconds = harness.run_and_wait(canvas, user, coordinator, query)
                    assert run.status == "succeeded", run.error
                    seen.add(run.complexity["level"])
                    if index >= 3:
                        times.append(seconds)
                assert seen == {level}, f"{query!r} routed as {seen}, expected {level}"
                result[level] = harness.summary_ms(times)
            per_step, peer_step = [], []
            for index in range(max(runs // 3, 5) + 1):
                peer_seconds = peer.chain(CHAIN)
                run, seconds = harness.run_and_wait(canvas, user, chain, "step")
                if index:
                    per_step.append(seconds / CHAIN)
                    peer_step.append(peer_seconds / CHAIN)
            result["per_step"] = harness.summary_ms(per_step)
        finally:
            peer.stop()
        result["peer_LOW"] = harness.summary_ms(peer_low[3:])
        if peer_low_memory:
            result["peer_LOW_without_persistence"] = harness.summary_ms(peer_low_memory[3:])
        result["peer_per_step"] = harness.summary_ms(peer_step)
        result["ratio"] = {
            "LOW_p50": harness.ratio(result["LOW"]["p50_ms"], result["peer_LOW"]["p50_ms"]),
            "per_step_p50": harness.ratio(
                result["per_step"]["p50_ms"], result["peer_per_step"]["p50_ms"]
            ),
        }
        return result


class Peers:
    """The peer of a mode: LangGraph (embedded) or a bare Celery chain (distributed)."""

    def __init__(self, mode: str):
        self.worker = None
        if mode == "embedded":
            from bench.peers import langgraph_peer

            self.name = "langgraph+sqlite checkpointer"
            self.low = langgraph_peer.low_run(durable=True)
            self.low_memory = langgraph_peer.low_run(durable=False)
            chains = {CHAIN: langgraph_peer.chain(CHAIN, durable=True)}
            self.chain = lambda steps: chains[steps]()
        else:
            from bench import harness
            from bench.peers.celery_chain import Peer

            self.name = "bare celery chain, threads worker, same redis"
            self.worker = Peer(harness.REDIS_URL)
            self.low = lambda: self.worker.chain_seconds(3)
            self.low_memory = None
            self.chain = self.worker.chain_seconds

    def stop(self):
        if self.worker:
            self.worker.stop()


if __name__ == "__main__":
    from bench.harness import main_for_modes

    main_for_modes("overhead", measure, default_runs=30)
