"""Layered left-to-right layout for graphs put on a canvas from a plan (pure, no Django).

`plan_to_graph` uses it for plans that carry no `ui:` positions. The rules mirror the
editor's Auto-layout button (frontend/src/lib/layout.ts) so an imported plan looks like one
laid out in the browser:

* Flow nodes go in columns by longest path from the sources (a node sits one column right of
  its latest predecessor); nodes caught in a cycle (an invalid plan) share one extra column.
* Within a column, nodes are ordered by the average row of their predecessors (a few
  barycenter sweeps), which removes most edge crossings of fan-outs and fan-ins.
* A coordinator and its delegated sub-agents form one block: the coordinator on top, its
  sub-agents side by side in a row beneath it, centred. Each delegation edge goes straight
  down to its own sub-agent, so no edge runs through another sub-agent, and the column is
  widened to fit the row instead of letting it overlap the next column.
* Columns are centred on one horizontal line, so a plain chain is a straight row.

Sizes mirror styles.css (.baton-node: 220 px wide, 240 for coordinators).
"""

from __future__ import annotations

from collections import deque

NODE_WIDTH = 220
NODE_HEIGHT = 80
COLUMN_GAP = 60
ROW_GAP = 40
SUB_GAP_X = 24
SUB_GAP_Y = 70
SWEEPS = 4

Point = tuple[int, int]


def layered_layout(
    order: list[str],
    flow_edges: list[tuple[str, str]],
    delegates: dict[str, list[str]],
    widths: dict[str, int] | None = None,
) -> dict[str, Point]:
    """Top-left positions for `order` (flow nodes) and every sub-agent in `delegates`."""
    widths = widths or {}
    width = lambda node: widths.get(node, NODE_WIDTH)  # noqa: E731
    columns = _columns(order, flow_edges)
    preds: dict[str, list[str]] = {n: [] for n in order}
    succs: dict[str, list[str]] = {n: [] for n in order}
    for source, target in flow_edges:
        if source in preds and target in preds and source != target:
            succs[source].append(target)
            preds[target].append(source)
    _reduce_crossings(columns, preds, succs)

    def block_width(node: str) -> int:
        subs = delegates.get(node, ())
        row = sum(width(s) for s in subs) + SUB_GAP_X * max(0, len(subs) - 1)
        return max(width(node), row)

    def block_height(node: str) -> int:
        return NODE_HEIGHT + (SUB_GAP_Y + NODE_HEIGHT if delegates.get(node) else 0)

    positions: dict[str, Point] = {}
    x = 0
    for column in columns:
        column_width = max(block_width(n) for n in column)
        total = sum(block_height(n) for n in column) + ROW_GAP * (len(column) - 1)
        y = -total // 2
        for node in column:
            centre = x + column_width // 2
            positions[node] = (centre - width(node) // 2, y)
            subs = delegates.get(node, ())
            row = sum(width(s) for s in subs) + SUB_GAP_X * max(0, len(subs) - 1)
            sub_x = centre - row // 2
            for sub in subs:
                positions[sub] = (sub_x, y + NODE_HEIGHT + SUB_GAP_Y)
                sub_x += width(sub) + SUB_GAP_X
            y += block_height(node) + ROW_GAP
        x += column_width + COLUMN_GAP
    return positions


def _columns(order: list[str], flow_edges: list[tuple[str, str]]) -> list[list[str]]:
    """Longest-path layering (Kahn's algorithm); nodes in a cycle get one extra column."""
    succ: dict[str, list[str]] = {n: [] for n in order}
    indegree = dict.fromkeys(order, 0)
    for source, target in flow_edges:
        if source in succ and target in succ:
            succ[source].append(target)
            indegree[target] += 1
    layer = dict.fromkeys(order, 0)
    queue = deque(n for n in order if indegree[n] == 0)
    while queue:
        v = queue.popleft()
        for w in succ[v]:
            layer[w] = max(layer[w], layer[v] + 1)
            indegree[w] -= 1
            if indegree[w] == 0:
                queue.append(w)
    stuck = [n for n in order if indegree[n] > 0]
    if stuck:
        last = max(layer.values()) + 1
        for n in stuck:
            layer[n] = last
    columns: list[list[str]] = [[] for _ in range(max(layer.values(), default=-1) + 1)]
    for n in order:
        columns[layer[n]].append(n)
    return [c for c in columns if c]


def _reduce_crossings(
    columns: list[list[str]], preds: dict[str, list[str]], succs: dict[str, list[str]]
) -> None:
    """Barycenter heuristic: alternate sweeps, each sorting a column by its neighbours' rows."""
    row = {n: i for column in columns for i, n in enumerate(column)}

    def sort(column: list[str], neighbours: dict[str, list[str]]) -> None:
        def key(node: str) -> tuple[float, int]:
            near = neighbours[node]
            centre = sum(row[m] for m in near) / len(near) if near else row[node]
            return (centre, row[node])  # ties keep the current order: stable, deterministic

        column.sort(key=key)
        for i, n in enumerate(column):
            row[n] = i

    for sweep in range(SWEEPS):
        if sweep % 2 == 0:
            for column in columns[1:]:
                sort(column, preds)
        else:
            for column in reversed(columns[:-1]):
                sort(column, succs)
