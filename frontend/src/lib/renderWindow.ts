// The part of a big graph handed to React Flow: the nodes in a window around the view, with an
// overscan margin, all rendered. React Flow's own culling (onlyRenderVisibleElements) scans
// every node and edge on every pan frame and mounts or unmounts elements at the pane's edge
// nearly every frame (a React commit, a repaint and a re-layering each time); with a window,
// a pan frame only moves the viewport layer, and the window moves, in one step, once the view
// nears its edge.
//
// What React Flow must still know about, outside the window, it gets as hidden nodes (never
// rendered, no DOM): the far ends of edges that touch or cross the window, so those edges are
// drawn, and the selected nodes, so that dragging or deleting a selection acts on all of it.

import type { HandleSpec } from "../api/components";
import type { BatonEdge, BatonNode } from "./graphTypes";
import { estimateHandles, NODE_WIDTH } from "./nodeSize";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Margin on each side of the view, as a fraction of the view's size. */
export const OVERSCAN = 0.2;
const DEFAULT_HEIGHT = 60;

/** The part of the flow the pane shows, in flow coordinates. */
export function viewBox(transform: readonly [number, number, number], width: number, height: number): Box {
  const [tx, ty, zoom] = transform;
  return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
}

/** `box` grown by `fraction` of its size on each side. */
export function grow(box: Box, fraction: number): Box {
  const dx = box.width * fraction;
  const dy = box.height * fraction;
  return { x: box.x - dx, y: box.y - dy, width: box.width + 2 * dx, height: box.height + 2 * dy };
}

function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The window to render for this view. */
export function windowFor(view: Box): Box {
  return grow(view, OVERSCAN);
}

/**
 * Whether the window `area` still serves `view`: it covers the view with at least half the overscan to
 * spare on every side (so nodes are mounted before they come into view), and it is not more
 * than twice as wide as a fresh window would be (zoomed in, it would render far too much).
 */
export function windowServes(area: Box, view: Box): boolean {
  return contains(area, grow(view, OVERSCAN / 2)) && area.width <= 2 * windowFor(view).width;
}

function boxOf(node: BatonNode): Box {
  return {
    x: node.position.x,
    y: node.position.y,
    width: node.measured?.width ?? node.width ?? NODE_WIDTH,
    height: node.measured?.height ?? node.height ?? DEFAULT_HEIGHT,
  };
}

/** The box spanned by an edge drawn between the two nodes (a curve stays within it, roughly). */
function edgeBox(source: Box, target: Box): Box {
  const x = Math.min(source.x, target.x);
  const y = Math.min(source.y, target.y);
  const right = Math.max(source.x + source.width, target.x + target.width);
  const bottom = Math.max(source.y + source.height, target.y + target.height);
  return { x, y, width: right - x, height: bottom - y };
}

export type HandlesOf = (type: string) => readonly HandleSpec[] | undefined;

// One hidden copy per node object, so React Flow sees the same object again (it skips
// re-adopting nodes it already has) as long as the node itself does not change.
const hiddenCopies = new WeakMap<BatonNode, BatonNode>();

/** The node as React Flow keeps it without rendering it: hidden, with handle positions to
 * draw its edges from (estimated from its size: it is off-screen). */
function hiddenCopy(node: BatonNode, handlesOf: HandlesOf): BatonNode {
  let copy = hiddenCopies.get(node);
  if (!copy) {
    const box = boxOf(node);
    const specs = handlesOf(node.type ?? "") ?? [];
    copy = { ...node, hidden: true, handles: node.handles ?? estimateHandles(specs, box) };
    hiddenCopies.set(node, copy);
  }
  return copy;
}

/**
 * The nodes and edges React Flow gets for the window `area`: every node that overlaps it (rendered),
 * every edge that touches or crosses it or is selected, and, hidden, the selected nodes and
 * edge ends outside it. Node order (drawing order) is kept. Edges between two nodes outside
 * the window that do not cross it are left out even when a node is selected: deleting a node
 * deletes its edges in the graph store (store/graph.ts), not through React Flow.
 */
export function windowedGraph(
  nodes: readonly BatonNode[],
  edges: readonly BatonEdge[],
  area: Box,
  handlesOf: HandlesOf,
): { nodes: BatonNode[]; edges: BatonEdge[] } {
  const boxes = new Map<string, Box>();
  const inside = new Set<string>();
  const hidden = new Set<string>(); // selected nodes outside, then the far ends of edges shown
  for (const node of nodes) {
    const box = boxOf(node);
    boxes.set(node.id, box);
    if (overlaps(box, area)) inside.add(node.id);
    else if (node.selected) hidden.add(node.id);
  }
  const shownEdges: BatonEdge[] = [];
  for (const edge of edges) {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    if (!source || !target) continue;
    const shown =
      inside.has(edge.source) || inside.has(edge.target) || edge.selected || overlaps(edgeBox(source, target), area);
    if (!shown) continue;
    shownEdges.push(edge);
    if (!inside.has(edge.source)) hidden.add(edge.source);
    if (!inside.has(edge.target)) hidden.add(edge.target);
  }
  const shownNodes: BatonNode[] = [];
  for (const node of nodes) {
    if (inside.has(node.id)) shownNodes.push(node);
    else if (hidden.has(node.id)) shownNodes.push(hiddenCopy(node, handlesOf));
  }
  return { nodes: shownNodes, edges: shownEdges };
}
