// A local draft of the canvas being edited, kept in this browser's localStorage so a reload,
// a crash or a closed tab never loses work that was not saved as a version yet.
// Pure helpers around storage; hooks/useDraftAutosave.ts decides when to write and read.

import type { StoredGraph } from "./graphTypes";

export interface Draft {
  /** The saved version the edits started from (null: the canvas was never saved). */
  baseVersion: number | null;
  /** When the draft was written (ISO 8601). */
  savedAt: string;
  graph: StoredGraph;
}

const PREFIX = "baton.draft.";

export const draftKey = (canvasId: string) => `${PREFIX}${canvasId}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled (private mode, policy): drafts are simply not kept
  }
}

export function readDraft(canvasId: string): Draft | null {
  const raw = storage()?.getItem(draftKey(canvasId));
  if (!raw) return null;
  try {
    const draft = JSON.parse(raw) as Partial<Draft>;
    if (!draft || typeof draft !== "object" || !draft.graph || !Array.isArray(draft.graph.nodes)) return null;
    return {
      baseVersion: typeof draft.baseVersion === "number" ? draft.baseVersion : null,
      savedAt: typeof draft.savedAt === "string" ? draft.savedAt : "",
      graph: draft.graph,
    };
  } catch {
    return null;
  }
}

/** Writes the draft; false when the browser refused (quota, disabled storage). */
export function writeDraft(canvasId: string, draft: Draft): boolean {
  try {
    storage()?.setItem(draftKey(canvasId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(canvasId: string): void {
  storage()?.removeItem(draftKey(canvasId));
}

/** The graph's content without presentation (viewport): what decides "same as saved". */
function content(graph: StoredGraph): string {
  return JSON.stringify({ nodes: graph.nodes, edges: graph.edges });
}

/** Whether the draft holds anything the loaded canvas does not. */
export function draftDiffers(draft: Draft, loaded: StoredGraph): boolean {
  return content(draft.graph) !== content(loaded);
}
