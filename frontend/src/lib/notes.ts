// Sticky notes: `note` nodes kept in the graph for readers; the server never makes them steps
// (canvas/notes.py) and nothing connects to them.

import type { BatonNode } from "./graphTypes";
import { newNodeId } from "./ids";

export const NOTE_TYPE = "note";
export const MAX_NOTE_CHARS = 10_000;

export function createNote(position: { x: number; y: number }, taken: (id: string) => boolean, text = ""): BatonNode {
  return {
    id: newNodeId(NOTE_TYPE, taken),
    type: NOTE_TYPE,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    data: { label: "Note", config: { text } },
  };
}

export function noteText(config: Record<string, unknown>): string {
  return typeof config.text === "string" ? config.text : "";
}
