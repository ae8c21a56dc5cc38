"""Python agents used by engine tests (allowlisted through settings in tests). They do real,
observable work: each records its call so tests can assert exactly-once effects."""

import json
import os
import threading
import time
from pathlib import Path


def _log(name: str, payload: dict, **extra) -> None:
    path = os.environ.get("BATON_TEST_AGENT_LOG")
    if path:
        entry = {"agent": name, "query": payload.get("query"), "input": payload.get("input")}
        with Path(path).open("a") as handle:
            handle.write(json.dumps({**entry, **extra}, default=str) + "\n")


def echo(payload: dict) -> dict:
    _log("echo", payload)
    return {
        "text": f"echo: {payload['query']}",
        "history_len": len(payload.get("history", [])),
        "history": payload.get("history", []),
        "input": payload.get("input"),
        "context": payload.get("context"),
    }


def sales(payload: dict) -> dict:
    _log("sales", payload)
    return {
        "text": "Revenue grew 12% in Q3 to 4.2 million dollars in sales.",
        "rows": [{"region": "EU", "revenue": 100}, {"region": "US", "revenue": 200}],
    }


def weather(payload: dict) -> dict:
    _log("weather", payload)
    return {
        "text": "The forecast for tomorrow is sunny with a high of 21 degrees and light wind.",
        "rows": [{"region": "eu", "revenue": 100}],
    }


def failing(payload: dict) -> dict:
    _log("failing", payload)
    raise RuntimeError("upstream service unavailable")


def slow(payload: dict) -> dict:
    seconds = float((payload.get("input") or {}).get("seconds", 0.5))
    time.sleep(seconds)
    _log("slow", payload)
    return {"text": f"slept {seconds}"}


def slow_effect(payload: dict) -> dict:
    """Announces that it started, works for a while, then records its effect."""
    seconds = float((payload.get("input") or {}).get("seconds", 2))
    started = os.environ.get("BATON_TEST_AGENT_LOG", "") + ".started"
    with Path(started).open("a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(seconds)
    _log("slow_effect", payload)
    return {"text": f"worked {seconds}s in {os.getpid()}"}


def effect(payload: dict, idempotency_key: str = "") -> dict:
    """A real effect with its idempotency key: works input.seconds (default 0.2), then records
    one line per execution (key, process), which fault tests count; input.linger keeps it
    from returning for a while after its effect; input.gate (a path) holds it back until
    that file exists."""
    seconds = float((payload.get("input") or {}).get("seconds", 0.2))
    gate = (payload.get("input") or {}).get("gate")
    for _ in range(600 if gate else 0):  # a test opens the gate (creates the file) when ready
        if Path(gate).exists():
            break
        time.sleep(0.1)
    time.sleep(seconds)
    _log("effect", payload, key=idempotency_key, pid=os.getpid())
    time.sleep(float((payload.get("input") or {}).get("linger", 0)))  # done, not yet returned
    return {"text": f"done {payload.get('query')}", "key": idempotency_key}


def hang(payload: dict) -> dict:
    """Never answers on its own (an hour): only a timeout ends it."""
    _log("hang", payload, pid=os.getpid())
    time.sleep(3600)
    return {"text": "woke up"}


def unpicklable(payload: dict) -> dict:
    """Returns a value that cannot leave its process (a lock)."""
    _log("unpicklable", payload, pid=os.getpid())
    return {"text": "a lock", "lock": threading.Lock()}


def crash(payload: dict) -> dict:
    """Ends its own process without answering (as a segfault or the OOM killer would)."""
    _log("crash", payload, pid=os.getpid())
    os._exit(3)


def shrug(payload: dict) -> dict:
    """Receives the SIGTERM a deploy sends every process of the service, then answers."""
    import signal

    os.kill(os.getpid(), signal.SIGTERM)
    return {"text": "still here"}


def where(payload: dict, idempotency_key: str = "") -> dict:
    """Says which process it ran in, what it was told and what it sees there."""
    from django.conf import settings

    _log("where", payload, key=idempotency_key, pid=os.getpid())
    return {
        "pid": os.getpid(),
        "key": idempotency_key,
        "user": payload.get("user"),
        "media_root": str(settings.MEDIA_ROOT),
        "log": os.environ.get("BATON_TEST_AGENT_LOG"),
    }


def flaky(payload: dict) -> dict:
    """Fails on its first call per marker file, then succeeds."""
    marker = Path(os.environ.get("BATON_TEST_FLAKY_MARKER", "/tmp/baton-flaky-marker"))  # noqa: S108
    _log("flaky", payload)
    if not marker.exists():
        marker.write_text("failed once")
        raise RuntimeError("transient failure")
    return {"text": "flaky succeeded on retry"}


def numbers(payload: dict):
    """A generator: yields items one by one (pipeline producer)."""
    count = int((payload.get("input") or {}).get("count", 3))
    delay = float((payload.get("input") or {}).get("delay", 0))
    for index in range(count):
        time.sleep(delay)
        yield {"n": index}


def double(payload: dict) -> dict:
    delay = float((payload.get("input") or {}).get("delay", 0))
    time.sleep(delay)
    item = (payload.get("input") or {}).get("item") or {}
    return {"n": item.get("n", 0) * 2, "items": [{"n": item.get("n", 0) * 2}]}


def counter(payload: dict) -> dict:
    """Returns how many times it has been called in this run's loop (via the log file)."""
    _log("counter", payload)
    path = os.environ.get("BATON_TEST_AGENT_LOG")
    calls = (
        sum(1 for line in Path(path).read_text().splitlines() if '"counter"' in line) if path else 1
    )
    return {"text": f"call {calls}", "calls": calls, "score": calls * 0.3}


def nap(payload: dict) -> dict:
    """Logs its call first, then sleeps input.seconds (default 0.5): a test that sees the call
    in the log knows the step is executing right now."""
    _log("nap", payload)
    seconds = float((payload.get("input") or {}).get("seconds", 0.5))
    time.sleep(seconds)
    return {"text": f"rested {seconds}"}


def held(payload: dict) -> dict:
    """Logs its call first, then holds until the test creates the release marker (a file, so
    a worker process sees it too); then succeeds, or fails transiently when the marker says
    "fail". The test, not the clock, decides when and how the step ends: a control sent while
    it holds always lands while the step is executing."""
    _log("held", payload)
    marker = Path(os.environ.get("BATON_TEST_RELEASE_MARKER", "/tmp/baton-release-marker"))  # noqa: S108
    for _ in range(30_000):  # a test that fails before releasing frees the thread in 300 s
        if marker.exists():
            break
        time.sleep(0.01)
    else:
        raise RuntimeError("never released")
    if marker.read_text() == "fail":
        raise RuntimeError("transient failure after release")
    return {"text": "released"}


def fail_once_nap_runs(payload: dict) -> dict:
    """Waits until a `nap` or `held` sibling has logged that it is executing, then fails: a
    failure that lands while that sibling is running (polls the log; gives up after 10 s)."""
    _log("fail_once_nap_runs", payload)
    path = Path(os.environ.get("BATON_TEST_AGENT_LOG", "/nonexistent"))
    for _ in range(1000):
        text = path.read_text() if path.exists() else ""
        if '"agent": "nap"' in text or '"agent": "held"' in text:
            break
        time.sleep(0.01)
    raise RuntimeError("failed while a sibling was running")


def ticker(payload: dict):
    """A slow generator: ten items, 0.05 s apart (a pipeline producer a coordinator can run:
    coordinator stages pass no input)."""
    _log("ticker", payload)
    for index in range(10):
        time.sleep(0.05)
        yield {"n": index, "text": f"tick {index}"}


def gated_ticker(payload: dict, idempotency_key: str = ""):
    """A pipeline producer that proves streaming without timing: it yields its first item,
    then holds back the rest until that item's downstream step has succeeded (or a minute
    has passed, which only happens when items are not streamed)."""
    from coordinator.models import StepRun  # the agent's process has Django set up

    _log("ticker", payload)
    yield {"n": 0, "text": "tick 0"}
    run_id = idempotency_key.split(":", 1)[0]
    first = StepRun.objects.filter(run_id=run_id, step_id__endswith="#1", status="succeeded")
    for _ in range(600):
        if first.exists():
            break
        time.sleep(0.1)  # polling another process's progress, not measuring anything
    for index in range(1, 10):
        yield {"n": index, "text": f"tick {index}"}


def offtopic(payload: dict) -> dict:
    """Succeeds, but answers something nobody asked."""
    _log("offtopic", payload)
    return {"text": "Turtles can live for more than a hundred years."}


def empty(payload: dict) -> dict:
    """Succeeds with no answer at all."""
    _log("empty", payload)
    return {}


ALL = [
    f"tests.engine_agents.{name}"
    for name in (
        "echo",
        "gated_ticker",
        "fail_once_nap_runs",
        "sales",
        "weather",
        "failing",
        "slow",
        "slow_effect",
        "flaky",
        "numbers",
        "double",
        "counter",
        "held",
        "nap",
        "ticker",
        "offtopic",
        "empty",
        "effect",
        "hang",
        "unpicklable",
        "crash",
        "where",
        "shrug",
    )
]
