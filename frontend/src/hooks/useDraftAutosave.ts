// Autosave of a local draft (issue 13): while the canvas has unsaved changes, the working
// graph is written to localStorage (debounced, and at once when the page is hidden); saving
// a version clears it. Opening the canvas again with a draft that differs from the saved
// graph offers it back (panels/DraftPrompt.tsx): restore or discard, never silently.

import { useEffect } from "react";
import { create } from "zustand";

import { clearDraft, draftDiffers, readDraft, writeDraft, type Draft } from "../lib/draft";
import { fromStoredGraph, toStoredGraph } from "../lib/graphJson";
import { useCanvasDoc } from "../store/canvasDoc";
import { useGraph } from "../store/graph";

const WRITE_AFTER_MS = 400;

interface DraftPromptState {
  /** A draft found on opening, waiting for the user's answer. */
  pending: Draft | null;
  canvasId: string;
  restore: () => void;
  discard: () => void;
}

export const useDraftPrompt = create<DraftPromptState>()((set, get) => ({
  pending: null,
  canvasId: "",
  restore: () => {
    const { pending } = get();
    if (!pending) return;
    const { nodes, edges } = fromStoredGraph(pending.graph);
    useGraph.getState().load({ nodes, edges });
    // The restored edits are not saved yet: say so (and let autosave keep them).
    useGraph.setState((state) => ({ dirty: true, revision: state.revision + 1 }));
    set({ pending: null });
  },
  discard: () => {
    clearDraft(get().canvasId);
    set({ pending: null });
  },
}));

function currentDraft(): Draft {
  const { nodes, edges } = useGraph.getState();
  const { version, viewport } = useCanvasDoc.getState();
  return { baseVersion: version, savedAt: new Date().toISOString(), graph: toStoredGraph(nodes, edges, viewport) };
}

export function useDraftAutosave(canvasId: string): void {
  useEffect(() => {
    const found = readDraft(canvasId);
    const { nodes, edges } = useGraph.getState();
    if (found && draftDiffers(found, toStoredGraph(nodes, edges))) {
      useDraftPrompt.setState({ pending: found, canvasId });
    } else {
      if (found) clearDraft(canvasId);
      useDraftPrompt.setState({ pending: null, canvasId });
    }

    let timer: number | undefined;
    const flush = () => {
      window.clearTimeout(timer);
      timer = undefined;
      // An unanswered prompt keeps the old draft: it is the user's to restore or discard.
      if (useDraftPrompt.getState().pending) return;
      if (useGraph.getState().dirty) writeDraft(canvasId, currentDraft());
    };
    const unsubscribe = useGraph.subscribe((state, previous) => {
      if (state.revision === previous.revision && state.dirty === previous.dirty) return;
      if (useDraftPrompt.getState().pending) return;
      if (!state.dirty) {
        // Saved, or reloaded from the server: nothing local is worth keeping.
        window.clearTimeout(timer);
        timer = undefined;
        clearDraft(canvasId);
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(flush, WRITE_AFTER_MS);
    });
    const onHide = () => {
      if (timer !== undefined) flush();
    };
    window.addEventListener("pagehide", onHide);
    document.addEventListener("visibilitychange", onHide);
    return () => {
      onHide();
      unsubscribe();
      window.removeEventListener("pagehide", onHide);
      document.removeEventListener("visibilitychange", onHide);
    };
  }, [canvasId]);
}
