import { create } from "zustand";

import { listCanvases, type CanvasSummary } from "../api/canvases";
import { ApiError } from "../api/client";

export type LoadStatus = "idle" | "loading" | "ready" | "error";

interface CanvasListState {
  status: LoadStatus;
  canvases: CanvasSummary[];
  error: string;
  load: (signal?: AbortSignal) => Promise<void>;
}

export function describeLoadError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401 || error.status === 403) {
      return "Your session has ended. Sign in again to see your canvases.";
    }
    return `Could not load canvases: ${error.message}`;
  }
  return `Could not load canvases: ${error instanceof Error ? error.message : String(error)}`;
}

export const useCanvasList = create<CanvasListState>()((set) => ({
  status: "idle",
  canvases: [],
  error: "",
  load: async (signal) => {
    set({ status: "loading", error: "" });
    try {
      const canvases = await listCanvases(signal);
      set({ status: "ready", canvases });
    } catch (error) {
      if (signal?.aborted) return;
      if (error instanceof ApiError && error.status === 404) {
        // No canvases endpoint on this server yet: nothing to list.
        set({ status: "ready", canvases: [] });
        return;
      }
      set({ status: "error", canvases: [], error: describeLoadError(error) });
    }
  },
}));
