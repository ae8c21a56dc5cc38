"""The compiled plan of a saved canvas version, cached per process.

A version's graph never changes (`CanvasVersion.save` refuses updates), so its plan depends
only on the version and on the canvas's name and description, which compile into the plan:
the cache key holds them all, and a renamed canvas compiles afresh. The version is known by
its id, canvas, number and creation time together, so an id that a rolled-back transaction
handed out again (SQLite) never finds another version's plan. Validation problems are
not cached — a version that does not compile raises `InvalidDocument` each time.

Nothing about a user is cached: who may run the canvas is checked by the caller before, and
the agents a plan names are resolved for the run's user when its steps execute. Callers get
the shared `Plan`: they read it (dump it into the run) and never change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from canvas.graph import compile_graph
from canvas.plan import Plan

SIZE = 512  # versions; a compiled plan is a few kB

_plans: OrderedDict[tuple, Plan] = OrderedDict()
_lock = threading.Lock()


def plan_of(canvas, version) -> Plan:
    """The plan of `version` of `canvas` (compiled once per process)."""
    key = (
        version.pk,
        version.canvas_id,
        version.number,
        version.created,
        canvas.name,
        canvas.description,
    )
    with _lock:
        plan = _plans.get(key)
        if plan is not None:
            _plans.move_to_end(key)
            return plan
    plan = compile_graph(version.graph, canvas.name, canvas.description)
    with _lock:
        _plans[key] = plan
        while len(_plans) > SIZE:
            _plans.popitem(last=False)
    return plan


def forget() -> None:
    """Drop every cached plan (tests)."""
    with _lock:
        _plans.clear()
