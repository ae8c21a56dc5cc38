// Estimated node sizes and handle positions, so React Flow need not render every node of a big
// graph just to measure it. React Flow 12 renders any node without `measured` + `handles` once,
// even off-screen, just to measure it; with these estimates only the nodes around the view render, and
// each is measured for real when it first appears (graph store drops the estimated handles).
// Constants mirror styles.css (.baton-node: 220 px wide, 240 for coordinators; 57 px of chrome
// plus 14 px per summary line; handles 14 px, delegation handles 16 px).

import type { HandleSpec } from "../api/components";
import type { NodeHandle } from "@xyflow/react";
import { Position } from "@xyflow/react";
import { indexEdges, isDelegationEdge, type EdgeLike } from "./connections";
import { placeHandles, type Side } from "./handleLayout";
import { nodeSummary } from "./nodeSummary";

export const NODE_WIDTH = 220;
export const WIDE_NODE_WIDTH = 240;
const CHROME_HEIGHT = 57;
const LINE_HEIGHT = 14;
const BORDER_LEFT = 4;
const BORDER = 1;

export interface Size {
  width: number;
  height: number;
}

export function estimateNodeSize(type: string, summaryLines: number): Size {
  return {
    width: type === "coordinator" ? WIDE_NODE_WIDTH : NODE_WIDTH,
    height: summaryLines > 0 ? CHROME_HEIGHT + LINE_HEIGHT * summaryLines : CHROME_HEIGHT - 11,
  };
}

const POSITION: Record<Side, Position> = {
  left: Position.Left,
  right: Position.Right,
  top: Position.Top,
  bottom: Position.Bottom,
};

/** Where React Flow will find each handle (top-left corner relative to the node, flow units). */
export function estimateHandles(handles: readonly HandleSpec[], size: Size): NodeHandle[] {
  return placeHandles(handles).map((handle) => {
    const side = handle.role === "delegation" ? 16 : 14;
    const along = handle.offset / 100;
    let cx: number;
    let cy: number;
    switch (handle.side) {
      case "left":
        [cx, cy] = [BORDER_LEFT, BORDER + along * (size.height - 2 * BORDER)];
        break;
      case "right":
        [cx, cy] = [size.width - BORDER, BORDER + along * (size.height - 2 * BORDER)];
        break;
      case "top":
        [cx, cy] = [BORDER_LEFT + along * (size.width - BORDER_LEFT - BORDER), BORDER];
        break;
      default:
        [cx, cy] = [BORDER_LEFT + along * (size.width - BORDER_LEFT - BORDER), size.height - BORDER];
    }
    return {
      id: handle.id,
      type: handle.kind,
      position: POSITION[handle.side],
      x: cx - side / 2,
      y: cy - side / 2,
      width: side,
      height: side,
    };
  });
}

/**
 * Nodes with an estimated `measured` size and `handles`, for big graphs. Nodes already
 * measured, or of an unknown type, are returned as they are.
 */
export function withSizeEstimates<N extends { id: string; type?: string; measured?: unknown; data: { config: Record<string, unknown> } }>(
  nodes: readonly N[],
  edges: readonly EdgeLike[],
  handlesOf: (type: string) => readonly HandleSpec[] | undefined,
): N[] {
  const { delegated } = indexEdges(edges);
  const delegates = new Map<string, number>();
  for (const edge of edges) {
    if (isDelegationEdge(edge)) delegates.set(edge.source, (delegates.get(edge.source) ?? 0) + 1);
  }
  return nodes.map((node) => {
    const type = node.type ?? "";
    const handles = handlesOf(type);
    if (!handles || node.measured) return node;
    let lines = nodeSummary(type, node.data.config, type === "coordinator" ? { delegates: delegates.get(node.id) ?? 0 } : {}).length;
    if (type === "sub_agent" && delegated.has(node.id)) lines += 1;
    const size = estimateNodeSize(type, lines);
    return { ...node, measured: size, handles: estimateHandles(handles, size) };
  });
}
