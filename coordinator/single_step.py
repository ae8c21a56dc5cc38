"""Test one step: run a single agent, coordinator, transform or condition node with sample
input, through the engine like any step (same executor, tenancy, timeouts, limits).

A step test is a real run, marked `trigger="test_step"`: its plan holds just the tested
step, and the sample's step outputs are recorded as already-succeeded `sample` rows the
step depends on, so `steps.<id>.output` and an agent's `context` see them as they would in
a full run. Run lists leave test runs out unless asked (`?trigger_kind=test_step`), and they
start no event triggers.

The sample is what the step sees: ``{"query": str, "input": {...}, "steps": {id: output}}``.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from canvas.errors import InvalidDocument, Problem
from canvas.graph import compile_graph
from canvas.plan import STEP_ID_PATTERN
from coordinator import clock, engine
from coordinator.models import StepRun, StepStatus

TEST_TRIGGER = "test_step"
#: node types a user may test alone, and the step type each compiles to
TESTABLE = {
    "sub_agent": "agent",
    "coordinator": "coordinator",
    "transform": "transform",
    "condition": "condition",
}
SAMPLE_KEYS = ("query", "input", "steps")
#: largest sample accepted (JSON characters): a sample is what one step sees, not a data set
MAX_SAMPLE_CHARS = 1_000_000
MAX_SAMPLE_STEPS = 200
_NOT_STEPS = {"begin", "interact"}


class InvalidStepTest(ValueError):
    """Every problem with a step test request: [{"field": ..., "message": ...}]."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def checked_sample(sample: Any, node_id: str) -> dict:
    """The sample, normalised; raises InvalidStepTest naming every bad field."""
    import re

    if not isinstance(sample, dict):
        raise InvalidStepTest([{"field": "sample", "message": "must be a JSON object"}])
    errors = [
        {"field": f"sample.{key}", "message": f"unknown key; use {', '.join(SAMPLE_KEYS)}"}
        for key in sample
        if key not in SAMPLE_KEYS
    ]
    query = sample.get("query", "")
    if not isinstance(query, str):
        errors.append({"field": "sample.query", "message": "must be text"})
    step_input = sample.get("input", {})
    if not isinstance(step_input, dict):
        errors.append({"field": "sample.input", "message": "must be a JSON object"})
    steps = sample.get("steps", {})
    if not isinstance(steps, dict):
        errors.append(
            {"field": "sample.steps", "message": "must be a JSON object of step id → output"}
        )
        steps = {}
    elif len(steps) > MAX_SAMPLE_STEPS:
        errors.append({"field": "sample.steps", "message": f"at most {MAX_SAMPLE_STEPS} steps"})
    for step_id in steps:
        if not re.match(STEP_ID_PATTERN, step_id):
            errors.append({"field": f"sample.steps.{step_id}", "message": "not a valid step id"})
        elif step_id == node_id:
            errors.append(
                {
                    "field": f"sample.steps.{step_id}",
                    "message": "is the step under test; its output is what the test produces",
                }
            )
    size = len(json.dumps(sample, default=str))
    if size > MAX_SAMPLE_CHARS:
        errors.append(
            {
                "field": "sample",
                "message": f"is {size:,} characters; the limit is {MAX_SAMPLE_CHARS:,}",
            }
        )
    if errors:
        raise InvalidStepTest(errors)
    return {"query": query, "input": step_input, "steps": steps}


def _node(graph: dict, node_id: str) -> dict:
    nodes = graph.get("nodes") if isinstance(graph, dict) else None
    if not isinstance(nodes, list):
        raise InvalidStepTest([{"field": "graph", "message": "must be a graph with a nodes list"}])
    node = next((n for n in nodes if isinstance(n, dict) and n.get("id") == node_id), None)
    if node is None:
        raise InvalidStepTest([{"field": "node", "message": f"no node {node_id!r} in the graph"}])
    if node.get("type") not in TESTABLE:
        raise InvalidStepTest(
            [
                {
                    "field": "node",
                    "message": f"{node_id!r} is a {node.get('type')!r} node; only agent "
                    "(sub-agent, coordinator), transform and condition nodes can be tested alone",
                }
            ]
        )
    return node


def predecessors(graph: dict, node_id: str) -> list[str]:
    """The steps whose flow edges lead into `node_id` (what it depends on in a full run)."""
    types = {n.get("id"): n.get("type") for n in graph.get("nodes", []) if isinstance(n, dict)}
    found = []
    for edge in graph.get("edges") or []:
        if not isinstance(edge, dict) or edge.get("target") != node_id:
            continue
        source = edge.get("source")
        delegation = edge.get("sourceHandle") == "agents" or edge.get("targetHandle") == "delegate"
        if types.get(source) not in (None, *_NOT_STEPS) and not delegation and source not in found:
            found.append(source)
    return found


def _delegates(edge: Any, node_id: str) -> bool:
    return (
        isinstance(edge, dict)
        and edge.get("source") == node_id
        and edge.get("sourceHandle") == "agents"
    )


def single_step_plan(graph: dict, node_id: str, name: str):
    """The plan of a test: the Begin node (its input schema) and the tested node alone.

    The node is compiled by the same rules as in the full graph (canvas.graph), so a
    sub-agent under a coordinator is tested as the agent step it would be in a flow, and a
    coordinator keeps the sub-agents its delegation edges connect."""
    node = _node(graph, node_id)
    begin = next(
        (n for n in graph["nodes"] if isinstance(n, dict) and n.get("type") == "begin"), None
    )
    alone = {
        "id": node_id,
        "type": node["type"],
        "position": {"x": 0, "y": 0},
        "data": node.get("data") or {},
    }
    nodes = [alone]
    edges = []
    if node["type"] == "coordinator":
        delegated = [e for e in graph.get("edges") or [] if _delegates(e, node_id)]
        targets = {e.get("target") for e in delegated}
        nodes += [n for n in graph["nodes"] if isinstance(n, dict) and n.get("id") in targets]
        edges += delegated
    if begin is not None:
        nodes.insert(0, {**begin, "position": {"x": 0, "y": -100}})
        edges.append({"id": "begin-test", "source": begin.get("id"), "target": node_id})
    try:
        plan = compile_graph({"nodes": nodes, "edges": edges}, name)
    except InvalidDocument as exc:
        mine = [p for p in exc.problems if p.severity == "error"]
        raise InvalidDocument(
            mine or [Problem("the node does not compile", node=node_id)], exc.summary
        ) from None
    return plan.model_copy(update={"result": node_id})


def start_step_test(canvas, user, graph: dict, node_id: str, sample: Any):
    """Start a test run of one node; returns the Run (queued). Raises InvalidStepTest,
    canvas.errors.InvalidDocument, or coordinator.run_input.InvalidRunInput (fields are
    named `input.*`; the view prefixes them with `sample.`)."""
    sample = checked_sample(sample, node_id)
    plan = single_step_plan(graph, node_id, canvas.name)
    depends_on = [d for d in predecessors(graph, node_id) if d in sample["steps"]]
    now = clock.now()
    with transaction.atomic():  # the run is enqueued when this commits, with its samples
        run = engine.start_run(
            canvas,
            user=user,
            query=sample["query"],
            input=sample["input"],
            trigger=TEST_TRIGGER,
            plan=plan,
        )
        StepRun.objects.bulk_create(
            [
                StepRun(
                    run=run,
                    step_id=step_id,
                    type="sample",
                    spec={"id": step_id, "type": "sample"},
                    status=StepStatus.SUCCEEDED,
                    output=output,
                    started_at=now,
                    finished_at=now,
                )
                for step_id, output in sample["steps"].items()
            ]
        )
        StepRun.objects.filter(run=run, step_id=node_id).update(depends_on=depends_on)
    return run


__all__ = [
    "TEST_TRIGGER",
    "TESTABLE",
    "InvalidStepTest",
    "checked_sample",
    "predecessors",
    "single_step_plan",
    "start_step_test",
]
