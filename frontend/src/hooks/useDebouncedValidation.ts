// Validates the working graph on the server a moment after the last edit (and once on load).
// Subscribes to the graph store outside React: no re-render per edit.

import { useEffect } from "react";

import { validateGraph } from "../api/canvases";
import { describeError } from "../api/client";
import { toStoredGraph } from "../lib/graphJson";
import { useGraph } from "../store/graph";
import { useValidation } from "../store/validation";

export const VALIDATION_DELAY_MS = 600;

export function useDebouncedValidation(canvasId: string, enabled: boolean): void {
  useEffect(() => {
    if (!enabled || !canvasId) return undefined;
    let timer: number | undefined;
    let controller: AbortController | null = null;

    const run = async () => {
      controller?.abort();
      controller = new AbortController();
      const { signal } = controller;
      const { nodes, edges } = useGraph.getState();
      useValidation.getState().setStatus("checking");
      try {
        const result = await validateGraph(canvasId, toStoredGraph(nodes, edges), signal);
        if (!signal.aborted) useValidation.getState().setProblems(result.problems);
      } catch (error) {
        if (!signal.aborted) useValidation.getState().setStatus("error", describeError(error, "validate"));
      }
    };
    const schedule = () => {
      // Results on screen describe an older graph until the next answer arrives.
      if (useValidation.getState().status !== "checking") useValidation.getState().setStatus("checking");
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void run(), VALIDATION_DELAY_MS);
    };

    void run();
    const unsubscribe = useGraph.subscribe((state, previous) => {
      if (state.revision !== previous.revision) schedule();
    });
    return () => {
      unsubscribe();
      window.clearTimeout(timer);
      controller?.abort();
    };
  }, [canvasId, enabled]);
}
