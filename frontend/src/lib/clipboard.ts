// Copy/paste of a selection: the selected nodes and the edges between them, pasted with new
// ids, offset, and selected.

import { newEdgeId, newNodeId } from "./ids";
import type { BatonEdge, BatonNode } from "./graphTypes";

export interface Clip {
  nodes: BatonNode[];
  edges: BatonEdge[];
}

export function copySelection(nodes: readonly BatonNode[], edges: readonly BatonEdge[]): Clip | null {
  const picked = nodes.filter((node) => node.selected);
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((node) => node.id));
  return {
    nodes: picked.map((node) => ({ ...node, selected: false })),
    edges: edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)).map((edge) => ({ ...edge, selected: false })),
  };
}

/** The clip's nodes/edges with fresh ids (not in `takenNode`), moved by `offset`, selected. */
export function pasteClip(
  clip: Clip,
  takenNode: (id: string) => boolean,
  offset: { x: number; y: number },
): Clip {
  const renamed = new Map<string, string>();
  const fresh = new Set<string>();
  const nodes = clip.nodes.map((node) => {
    const id = newNodeId(node.type ?? "node", (candidate) => takenNode(candidate) || fresh.has(candidate));
    fresh.add(id);
    renamed.set(node.id, id);
    return {
      ...node,
      id,
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
      data: structuredClone(node.data),
      selected: true,
      dragging: false,
    };
  });
  const edgeIds = new Set<string>();
  const edges = clip.edges.map((edge) => {
    const id = newEdgeId((candidate) => edgeIds.has(candidate));
    edgeIds.add(id);
    return { ...edge, id, source: renamed.get(edge.source)!, target: renamed.get(edge.target)!, selected: false };
  });
  return { nodes, edges };
}
