// Stored graph JSON ⇄ the editor's React Flow nodes/edges. The editor adds presentation only
// (edge class names, default handle ids) and strips it again when saving.

import type { Viewport } from "@xyflow/react";

import { isDelegationEdge, sourceHandleOf, targetHandleOf } from "./connections";
import {
  isObject,
  type BatonEdge,
  type BatonNode,
  type BatonNodeData,
  type StoredEdge,
  type StoredGraph,
  type StoredNode,
} from "./graphTypes";

/** CSS class for an edge by what it means: delegation, a condition branch, a parallel branch. */
export function edgeClassName(edge: { sourceHandle?: string | null }): string {
  if (isDelegationEdge(edge)) return "edge--delegation";
  switch (sourceHandleOf(edge)) {
    case "true":
      return "edge--true";
    case "false":
      return "edge--false";
    case "branches":
      return "edge--branches";
    default:
      return "edge--flow";
  }
}

export function toEditorEdge(edge: StoredEdge): BatonEdge {
  const sourceHandle = sourceHandleOf(edge);
  const targetHandle = targetHandleOf(edge);
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle,
    targetHandle,
    className: edgeClassName({ sourceHandle }),
  };
}

function toEditorNode(node: StoredNode): BatonNode {
  const raw: unknown = node.data;
  const data = isObject(raw) ? raw : {};
  const nodeData: BatonNodeData = {
    ...data,
    label: typeof data.label === "string" ? data.label : "",
    config: isObject(data.config) ? data.config : {},
  };
  if (data.step !== undefined && !isObject(data.step)) delete nodeData.step;
  const position = isObject(node.position) ? node.position : { x: 0, y: 0 };
  return {
    id: String(node.id),
    type: String(node.type),
    position: { x: Number(position.x) || 0, y: Number(position.y) || 0 },
    data: nodeData,
  };
}

export function fromStoredGraph(graph: StoredGraph | null | undefined): {
  nodes: BatonNode[];
  edges: BatonEdge[];
  viewport: Viewport | null;
} {
  const nodes = Array.isArray(graph?.nodes) ? graph.nodes.filter(isObject).map(toEditorNode) : [];
  const edges = Array.isArray(graph?.edges) ? graph.edges.filter(isObject).map(toEditorEdge) : [];
  const viewport = isObject(graph?.viewport) ? (graph.viewport as Viewport) : null;
  return { nodes, edges, viewport };
}

export function toStoredNode(node: BatonNode): StoredNode {
  return {
    id: node.id,
    type: node.type ?? "",
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    data: node.data,
  };
}

export function toStoredEdge(edge: BatonEdge): StoredEdge {
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: sourceHandleOf(edge),
    targetHandle: targetHandleOf(edge),
  };
}

export function toStoredGraph(nodes: readonly BatonNode[], edges: readonly BatonEdge[], viewport?: Viewport | null): StoredGraph {
  const graph: StoredGraph = { nodes: nodes.map(toStoredNode), edges: edges.map(toStoredEdge) };
  if (viewport) graph.viewport = viewport;
  return graph;
}
