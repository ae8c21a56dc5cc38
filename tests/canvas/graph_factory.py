"""Builders for React Flow graphs: small hand-written ones for tests, big valid ones for benches.

`generate_graph(nodes, edges, seed)` returns a graph that `canvas.graph.validate_graph`
accepts with no problems at all: one begin, one interact, a deterministic mix of every other
component in between, every coordinator delegating to at least one sub_agent, no cycles, every
node reachable from begin, exactly `nodes` nodes and `edges` edges.
"""

from __future__ import annotations

import random
from typing import Any

# --- small builders --------------------------------------------------------------------------


def node(node_id: str, type_: str, config: dict | None = None, label: str = "", **data) -> dict:
    return {
        "id": node_id,
        "type": type_,
        "position": {"x": 0, "y": 0},
        "data": {"label": label, "config": config or {}, **data},
    }


def edge(
    source: str,
    target: str,
    source_handle: str | None = None,
    target_handle: str | None = None,
    edge_id: str | None = None,
) -> dict:
    return {
        "id": edge_id or f"{source}.{source_handle or 'out'}->{target}",
        "source": source,
        "target": target,
        "sourceHandle": source_handle,
        "targetHandle": target_handle,
    }


def graph(nodes: list[dict], edges: list[dict]) -> dict:
    return {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}


def agent(node_id: str, slug: str = "summarizer", **config) -> dict:
    return node(node_id, "sub_agent", {"agent": slug, **config})


def begin(node_id: str = "begin", **config) -> dict:
    return node(node_id, "begin", config)


def interact(node_id: str = "answer") -> dict:
    return node(node_id, "interact")


def chain(*ids: str) -> list[dict]:
    """Flow edges a → b → c … using default handles."""
    return [edge(a, b) for a, b in zip(ids, ids[1:], strict=False)]


def simple_graph() -> dict:
    """begin → extract → summarize → answer: the smallest realistic valid graph."""
    return graph(
        [begin(), agent("extract", "document-ocr"), agent("summarize"), interact()],
        chain("begin", "extract", "summarize", "answer"),
    )


# --- generated graphs -------------------------------------------------------------------------

# (component type, weight) for the main flow; "coordinator" and "parallel" pull in extra nodes.
_MIX = [
    ("sub_agent", 30),
    ("coordinator", 12),
    ("transform", 14),
    ("condition", 8),
    ("parallel", 6),
    ("human_approval", 8),
    ("human_input", 5),
    ("wait", 6),
    ("sub_plan", 5),
]
_BRANCH_TYPES = ["sub_agent", "transform", "wait", "human_approval"]


def _config(type_: str, i: int, rng: random.Random) -> dict[str, Any]:
    if type_ == "sub_agent":
        if rng.random() < 0.1:
            return {
                "inline": {"name": f"Inline {i}", "description": "Answers one narrow question."}
            }
        return {"agent": f"agent-{i % 25}", "query": "{{ input.question }}"}
    if type_ == "coordinator":
        return {
            "selection_strategy": rng.choice(["capability_based", "priority_based"]),
            "coordination_strategy": rng.choice(["sequential", "parallel", "pipeline"]),
        }
    if type_ == "transform":
        return {"output": {"value": "{{ input.question }}", "n": i}}
    if type_ == "condition":
        return {"expression": f"input.count > {i % 7}"}
    if type_ == "parallel":
        return {"concurrency": rng.randint(1, 8), "on_failure": "continue"}
    if type_ == "human_approval":
        return {"prompt": f"Approve step {i}?", "assignee": "group:reviewers"}
    if type_ == "human_input":
        return {"prompt": "Fill in the details", "assignee": "bob"}
    if type_ == "wait":
        return {"duration_seconds": 1 + i % 30}
    if type_ == "sub_plan":
        return {"canvas": "child-canvas", "input": {"q": "{{ input.question }}"}}
    if type_ == "begin":
        return {"input_schema": {"type": "object", "properties": {"question": {"type": "string"}}}}
    return {}


def generate_graph(nodes: int = 1000, edges: int = 1500, seed: int = 0) -> dict:
    """A valid graph of exactly `nodes` nodes and `edges` edges (deterministic for a seed).

    Needs nodes >= 3 and nodes - 1 <= edges; raises ValueError when the edge count cannot be
    placed without duplicates or cycles.
    """
    if nodes < 3:
        raise ValueError("a valid graph needs at least 3 nodes (begin, a step, interact)")
    if edges < nodes - 1:
        raise ValueError("every node but begin needs an incoming edge: edges >= nodes - 1")
    rng = random.Random(seed)
    types, roles, owner = _plan_kinds(nodes - 2, rng)  # middle nodes, index 1..nodes-2
    types = ["begin", *types, "interact"]
    roles = ["begin", *roles, "interact"]
    owner = [None, *[o + 1 if o is not None else None for o in owner], None]
    ids = [
        "begin" if t == "begin" else "interact" if t == "interact" else f"{t}_{i}"
        for i, t in enumerate(types)
    ]
    node_list = [
        {
            "id": ids[i],
            "type": t,
            "position": {"x": (i % 40) * 260, "y": (i // 40) * 120},
            "data": {
                "label": "" if i % 3 else f"{t.replace('_', ' ')} {i}",
                "config": _config(t, i, rng),
            },
        }
        for i, t in enumerate(types)
    ]

    edge_set: set[tuple[int, str, int]] = set()
    edge_list: list[dict] = []

    def source_handle(i: int) -> str:
        return rng.choice(["true", "false"]) if types[i] == "condition" else "out"

    def add(src: int, handle: str, dst: int) -> bool:
        key = (src, handle, dst)
        if key in edge_set:
            return False
        edge_set.add(key)
        target_handle = "delegate" if handle == "agents" else "in"
        edge_list.append(
            {
                "id": f"e{len(edge_list)}",
                "source": ids[src],
                "target": ids[dst],
                "sourceHandle": handle,
                "targetHandle": target_handle,
            }
        )
        return True

    # flow sources: every node that may have outgoing flow edges, in index (= topological) order
    can_source = [r in ("begin", "step", "branch") for r in roles]
    can_target = [r in ("step", "interact") for r in roles]
    last_source = 0
    sources_before: list[int] = [0]  # indices of flow sources so far, ascending
    for i in range(1, nodes):
        role = roles[i]
        if role == "delegate":
            add(owner[i], "agents", i)
        elif role == "branch":
            add(owner[i], "branches", i)
        else:  # step or interact: one incoming flow edge from a recent source
            window = sources_before[-12:]
            src = rng.choice(window) if role == "step" else last_source
            add(src, source_handle(src), i)
        if can_source[i]:
            sources_before.append(i)
            last_source = i

    extra = edges - len(edge_list)
    targets = [i for i in range(nodes) if can_target[i]]
    coordinators = [i for i in range(nodes) if types[i] == "coordinator"]
    delegates = [i for i in range(nodes) if roles[i] == "delegate"]
    attempts = 0
    while extra > 0:
        attempts += 1
        if attempts > 50 * edges + 1000:
            raise ValueError(f"cannot place {edges} edges on {nodes} nodes")
        if delegates and rng.random() < 0.05:  # share a sub-agent with another coordinator
            if add(rng.choice(coordinators), "agents", rng.choice(delegates)):
                extra -= 1
            continue
        dst = rng.choice(targets)
        pos = _bisect_left(sources_before, dst)  # sources before dst keep the graph acyclic
        src = rng.choice(sources_before[max(0, pos - 30) : pos])
        if add(src, source_handle(src), dst):
            extra -= 1
    return {"nodes": node_list, "edges": edge_list, "viewport": {"x": 0, "y": 0, "zoom": 0.5}}


def _bisect_left(values: list[int], x: int) -> int:
    lo, hi = 0, len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if values[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _plan_kinds(count: int, rng: random.Random) -> tuple[list[str], list[str], list[int | None]]:
    """Types, roles (step | delegate | branch) and owners (coordinator/parallel index)."""
    types: list[str] = []
    roles: list[str] = []
    owner: list[int | None] = []
    kinds, weights = zip(*_MIX, strict=True)
    while len(types) < count:
        remaining = count - len(types)
        type_ = rng.choices(kinds, weights)[0]
        if type_ in ("coordinator", "parallel") and remaining < 2:
            type_ = "transform"
        head = len(types)
        types.append(type_)
        roles.append("step")
        owner.append(None)
        if type_ in ("coordinator", "parallel"):
            for _ in range(min(rng.randint(1, 3), remaining - 1)):
                types.append("sub_agent" if type_ == "coordinator" else rng.choice(_BRANCH_TYPES))
                roles.append("delegate" if type_ == "coordinator" else "branch")
                owner.append(head)
    return types, roles, owner
