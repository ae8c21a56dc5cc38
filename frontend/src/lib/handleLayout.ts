// Where each handle of a component sits on its node: flow inputs left, flow outputs right,
// a coordinator's delegation output at the bottom, a sub-agent's delegation input at the top,
// condition branches stacked on the right, a parallel node's branches at the bottom.

import type { HandleSpec } from "../api/components";

export type Side = "left" | "right" | "top" | "bottom";

export interface PlacedHandle extends HandleSpec {
  side: Side;
  /** Offset along the side, in percent (50 = centred). */
  offset: number;
}

export function sideOf(handle: HandleSpec): Side {
  if (handle.role === "delegation") return handle.kind === "source" ? "bottom" : "top";
  if (handle.role === "branches") return "bottom";
  return handle.kind === "target" ? "left" : "right";
}

export function placeHandles(handles: readonly HandleSpec[]): PlacedHandle[] {
  const bySide = new Map<Side, HandleSpec[]>();
  for (const handle of handles) {
    const side = sideOf(handle);
    bySide.set(side, [...(bySide.get(side) ?? []), handle]);
  }
  const placed: PlacedHandle[] = [];
  for (const [side, list] of bySide) {
    list.forEach((handle, i) => placed.push({ ...handle, side, offset: ((i + 1) * 100) / (list.length + 1) }));
  }
  return placed;
}
