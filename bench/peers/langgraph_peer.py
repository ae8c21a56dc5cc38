"""LangGraph peers (the `bench` extra): the same shapes as Baton's benchmark runs, durable with
LangGraph's SQLite checkpointer (like embedded mode's SQLite) or without persistence.

Each function builds its graph once and returns a callable that runs it once and returns the
wall seconds, so a benchmark can interleave peer runs with Baton runs.
"""

from __future__ import annotations

import operator
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypedDict


class State(TypedDict):
    query: str
    results: Annotated[list, operator.add]


def _compile(builder, durable: bool):
    if not durable:
        return builder.compile()
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = Path(tempfile.mkdtemp(prefix="bench-langgraph-")) / "checkpoints.sqlite3"
    return builder.compile(checkpointer=SqliteSaver(sqlite3.connect(path, check_same_thread=False)))


def _timed(graph, **config) -> Callable[[], float]:
    def run_once() -> float:
        config["configurable"] = {"thread_id": uuid.uuid4().hex}
        started = time.perf_counter()
        out = graph.invoke({"query": "q", "results": []}, config)
        elapsed = time.perf_counter() - started
        assert out["results"], "the peer graph produced nothing"
        return elapsed

    return run_once


def _node(value: str, seconds: float = 0.0):
    def node(state: State) -> dict:
        if seconds:
            time.sleep(seconds)
        return {"results": [value]}

    return node


def low_run(durable: bool = True) -> Callable[[], float]:
    """A LOW coordinator run's shape: route, one agent, synthesis."""
    from langgraph.graph import END, START, StateGraph

    builder = StateGraph(State)
    for name in ("route", "agent", "synthesis"):
        builder.add_node(name, _node(name))
    builder.add_edge(START, "route")
    builder.add_edge("route", "agent")
    builder.add_edge("agent", "synthesis")
    builder.add_edge("synthesis", END)
    return _timed(_compile(builder, durable))


def chain(steps: int, durable: bool = True) -> Callable[[], float]:
    """`steps` no-op nodes one after the other (per step: divide by steps)."""
    from langgraph.graph import END, START, StateGraph

    builder = StateGraph(State)
    names = [f"s{i}" for i in range(steps)]
    for name in names:
        builder.add_node(name, _node(name))
    for a, b in zip([START, *names], [*names, END], strict=True):
        builder.add_edge(a, b)
    return _timed(_compile(builder, durable))


def fan_out(branches: int, seconds: float, durable: bool = True) -> Callable[[], float]:
    """`branches` nodes of `seconds` each in parallel, then one join node."""
    from langgraph.graph import END, START, StateGraph

    builder = StateGraph(State)
    names = [f"b{i}" for i in range(branches)]
    builder.add_node("join", _node("join"))
    for name in names:
        builder.add_node(name, _node(name, seconds))
        builder.add_edge(START, name)
    builder.add_edge(names, "join")
    builder.add_edge("join", END)
    # LangGraph's default pool has min(32, cores + 4) threads: 6 here, fewer than the branches.
    return _timed(_compile(builder, durable), max_concurrency=branches)
