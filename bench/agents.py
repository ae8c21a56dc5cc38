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


ALL = [
    f"bench.agents.{n}"
    for n in ("instant", "half_second", "produce", "stage", "effect", "steady_effect")
]


def effect(payload: dict, idempotency_key: str = "", steady: bool = False) -> dict:
    """A short real effect, logged with its key (bench/load.py counts them); fails at random
    with probability input.fail_rate before doing anything."""
    import json
    import os
    import random

    data = payload.get("input") or {}
    time.sleep(float(data.get("seconds", 0.05)))
    if not steady and random.random() < float(data.get("fail_rate", 0)):
        raise RuntimeError("random agent failure")
    path = os.environ.get("BENCH_EFFECT_LOG")
    if path:
        with open(path, "a") as handle:
            handle.write(json.dumps({"key": idempotency_key, "pid": os.getpid()}) + "\n")
    return {"text": f"done: {payload['query'][:40]}"}


def steady_effect(payload: dict, idempotency_key: str = "") -> dict:
    """The fallback of `effect`: the same effect, never failing."""
    return effect(payload, idempotency_key, steady=True)
