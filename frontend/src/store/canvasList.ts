import { create } from "zustand";

import {
  createCanvas,
  deleteCanvas,
  getCanvas,
  importCanvas,
  listCanvases,
  type CanvasDetail,
  type CanvasSummary,
} from "../api/canvases";
import { ApiError } from "../api/client";

export type LoadStatus = "idle" | "loading" | "ready" | "error";

interface CanvasListState {
  status: LoadStatus;
  canvases: CanvasSummary[];
  search: string;
  error: string;
  load: (signal?: AbortSignal) => Promise<void>;
  setSearch: (search: string) => void;
  create: (name: string) => Promise<CanvasDetail>;
  /** A new canvas with the latest graph of `id`. */
  duplicate: (id: string) => Promise<CanvasDetail>;
  remove: (id: string) => Promise<void>;
  importYaml: (file: File, name: string) => Promise<CanvasDetail>;
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

export function copyName(name: string): string {
  return `Copy of ${name}`.slice(0, 200);
}

export const useCanvasList = create<CanvasListState>()((set, get) => ({
  status: "idle",
  canvases: [],
  search: "",
  error: "",
  load: async (signal) => {
    set({ status: "loading", error: "" });
    try {
      const canvases = await listCanvases(get().search, signal);
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
  setSearch: (search) => set({ search }),
  create: (name) => createCanvas({ name }),
  duplicate: async (id) => {
    const source = await getCanvas(id);
    const copy = await createCanvas({ name: copyName(source.name), description: source.description, graph: source.graph });
    await get().load();
    return copy;
  },
  remove: async (id) => {
    await deleteCanvas(id);
    set((state) => ({ canvases: state.canvases.filter((c) => c.id !== id) }));
  },
  importYaml: (file, name) => importCanvas(file, name),
}));
