import type { ComponentSpec } from "../api/components";
import type { BatonNode } from "./graphTypes";
import { newNodeId } from "./ids";

export const PALETTE_MIME = "application/x-baton-component";

/** A new node of a component type at `position`: data = {label, config: defaults}. */
export function createNode(spec: ComponentSpec, position: { x: number; y: number }, taken: (id: string) => boolean): BatonNode {
  return {
    id: newNodeId(spec.type, taken),
    type: spec.type,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    data: { label: spec.label, config: structuredClone(spec.defaults ?? {}) },
  };
}
