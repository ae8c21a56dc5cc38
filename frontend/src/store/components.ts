// The palette: component types with their JSON Schemas, defaults and handles.

import { create } from "zustand";

import { describeError } from "../api/client";
import { listComponents, type ComponentSpec, type HandleSpec } from "../api/components";
import type { LoadStatus } from "./canvasList";

interface ComponentsState {
  status: LoadStatus;
  list: ComponentSpec[];
  byType: Record<string, ComponentSpec>;
  error: string;
  load: () => Promise<void>;
}

let inFlight: Promise<void> | null = null;

export const useComponents = create<ComponentsState>()((set, get) => ({
  status: "idle",
  list: [],
  byType: {},
  error: "",
  /** Loads once; concurrent callers share the request (the canvas load waits for it). */
  load: () => {
    if (get().status === "ready") return Promise.resolve();
    inFlight ??= (async () => {
      set({ status: "loading", error: "" });
      try {
        const list = await listComponents();
        set({ status: "ready", list, byType: Object.fromEntries(list.map((c) => [c.type, c])) });
      } catch (error) {
        set({ status: "error", error: describeError(error, "load the component palette") });
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  },
}));

/** Handle lookups for the connection rules (reads the store without subscribing). */
export function findHandle(type: string, handleId: string): HandleSpec | undefined {
  return useComponents.getState().byType[type]?.handles.find((h) => h.id === handleId);
}

export function handlesOf(type: string): readonly HandleSpec[] {
  return useComponents.getState().byType[type]?.handles ?? [];
}
