// Auto-layout, left → right, with dagre. A coordinator and its delegated sub-agents are laid
// out as one block: the coordinator on top, its sub-agents in a row beneath it (their
// delegation handles face each other), so blocks never overlap their neighbours.

import dagre from "@dagrejs/dagre";

import { isDelegationEdge, type EdgeLike } from "./connections";

export interface LayoutNode {
  id: string;
  width?: number;
  height?: number;
}

export interface Point {
  x: number;
  y: number;
}

export const DEFAULT_NODE_WIDTH = 220;
export const DEFAULT_NODE_HEIGHT = 80;
const SUB_GAP_X = 24;
const SUB_GAP_Y = 70;

const sizeOf = (node: LayoutNode) => ({
  width: node.width || DEFAULT_NODE_WIDTH,
  height: node.height || DEFAULT_NODE_HEIGHT,
});

/** Top-left positions for every node. Pure apart from dagre; O((V + E) log) in practice. */
export function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly EdgeLike[],
  options: { rankSep?: number; nodeSep?: number } = {},
): Map<string, Point> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const delegatesOf = new Map<string, string[]>();
  const delegated = new Set<string>();
  for (const edge of edges) {
    if (!isDelegationEdge(edge) || delegated.has(edge.target)) continue;
    if (!byId.has(edge.source) || !byId.has(edge.target)) continue;
    delegated.add(edge.target);
    const list = delegatesOf.get(edge.source);
    if (list) list.push(edge.target);
    else delegatesOf.set(edge.source, [edge.target]);
  }
  // A coordinator that is itself delegated to (a warning on the server) stays a block.
  for (const owner of delegatesOf.keys()) delegated.delete(owner);

  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", ranksep: options.rankSep ?? 90, nodesep: options.nodeSep ?? 40, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));

  const blocks = new Map<string, { width: number; height: number; row: number; subHeight: number }>();
  for (const node of nodes) {
    if (delegated.has(node.id)) continue;
    const own = sizeOf(node);
    const subs = (delegatesOf.get(node.id) ?? []).map((id) => sizeOf(byId.get(id)!));
    const row = subs.reduce((sum, s) => sum + s.width, 0) + SUB_GAP_X * Math.max(0, subs.length - 1);
    const subHeight = subs.reduce((max, s) => Math.max(max, s.height), 0);
    const block = {
      width: Math.max(own.width, row),
      height: own.height + (subs.length ? SUB_GAP_Y + subHeight : 0),
      row,
      subHeight,
    };
    blocks.set(node.id, block);
    graph.setNode(node.id, { width: block.width, height: block.height });
  }
  for (const edge of edges) {
    if (isDelegationEdge(edge) || edge.source === edge.target) continue;
    if (blocks.has(edge.source) && blocks.has(edge.target)) graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);

  const positions = new Map<string, Point>();
  for (const [id, block] of blocks) {
    const center = graph.node(id) as { x: number; y: number };
    const own = sizeOf(byId.get(id)!);
    const top = center.y - block.height / 2;
    positions.set(id, { x: Math.round(center.x - own.width / 2), y: Math.round(top) });
    let x = center.x - block.row / 2;
    for (const subId of delegatesOf.get(id) ?? []) {
      const size = sizeOf(byId.get(subId)!);
      positions.set(subId, { x: Math.round(x), y: Math.round(top + own.height + SUB_GAP_Y) });
      x += size.width + SUB_GAP_X;
    }
  }
  return positions;
}
