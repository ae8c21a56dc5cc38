// The stored graph is React Flow's own JSON (docs/architecture.md): nodes, edges and viewport, each
// node's data holding a label, the component's config and optional step options.

import type { Edge, Node, Viewport } from "@xyflow/react";

export type JsonObject = Record<string, unknown>;

export interface BatonNodeData extends Record<string, unknown> {
  label: string;
  config: JsonObject;
  /** Optional per-step options (when, retries, loop, timeout_seconds, …). */
  step?: JsonObject;
}

export type BatonNode = Node<BatonNodeData>;
export type BatonEdge = Edge;

/** What the API stores and returns. */
export interface StoredGraph {
  nodes: StoredNode[];
  edges: StoredEdge[];
  viewport?: Viewport;
}

export interface StoredNode {
  id: string;
  type: string;
  position: { x: number; y: number };
  data: BatonNodeData;
}

export interface StoredEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
