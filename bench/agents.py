"""Agents for benchmarks: zero-latency, fixed-latency, and pipeline producers/stages."""

import time


def instant(payload: dict) -> dict:
    return {"text": f"done: {payload['query'][:40]}"}


def half_second(payload: dict) -> dict:
    time.sleep(0.5)
    return {"text": "waited 500 ms"}


def produce(payload: dict):
    for index in range(20):
        time.sleep(0.05)
        yield {"n": index}


def stage(payload: dict) -> dict:
    time.sleep(0.05)
    item = (payload.get("input") or {}).get("item") or {}
    return {"items": [{"n": item.get("n", 0)}]}


ALL = [f"bench.agents.{n}" for n in ("instant", "half_second", "produce", "stage")]
