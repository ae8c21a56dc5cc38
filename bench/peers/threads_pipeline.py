"""The floor of the pipeline pattern: plain threads handing items over through queues, with
the same stage times as bench/pipeline.py. No persistence, no framework: what is left of
wall / ideal here is the machine (sleep overshoot, scheduling under load)."""

from __future__ import annotations

import queue
import threading
import time

DONE = object()


def run_once(items: int, stages: int, seconds: float) -> float:
    """Wall seconds for `items` through a producer and stages - 1 consumers of `seconds` each."""
    queues = [queue.Queue() for _ in range(stages)]

    def produce():
        for index in range(items):
            time.sleep(seconds)
            queues[0].put(index)
        queues[0].put(DONE)

    def stage(inbox: queue.Queue, outbox: queue.Queue):
        while (item := inbox.get()) is not DONE:
            time.sleep(seconds)
            outbox.put(item)
        outbox.put(DONE)

    threads = [threading.Thread(target=produce)]
    threads += [
        threading.Thread(target=stage, args=(queues[i], queues[i + 1])) for i in range(stages - 1)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    received = 0
    while queues[-1].get() is not DONE:
        received += 1
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    assert received == items, f"the pipeline delivered {received} of {items} items"
    return elapsed
