// The canvas's last run as expressions saw it (GET /api/runs/<id>/context/): the real values
// the expression editor completes and previews against, and the sample a step test starts
// from. Loaded once per canvas; `refresh` after a run.

import { create } from "zustand";

import { getRunContext, latestRunId, type ExpressionContext } from "../api/expressions";

interface LastRunState {
  canvasId: string;
  runId: string | null;
  context: ExpressionContext | null;
  status: "idle" | "loading" | "ready" | "error";
  load: (canvasId: string, force?: boolean) => Promise<void>;
}

export const useLastRun = create<LastRunState>()((set, get) => ({
  canvasId: "",
  runId: null,
  context: null,
  status: "idle",
  load: async (canvasId, force = false) => {
    const state = get();
    if (!canvasId || (!force && state.canvasId === canvasId && state.status !== "idle")) return;
    set({ canvasId, status: "loading", ...(state.canvasId === canvasId ? {} : { runId: null, context: null }) });
    try {
      const runId = await latestRunId(canvasId);
      const context = runId ? (await getRunContext(runId)).context : null;
      if (get().canvasId === canvasId) set({ runId, context, status: "ready" });
    } catch {
      if (get().canvasId === canvasId) set({ status: "error" });
    }
  },
}));
