// The models the signed-in user's connections serve, loaded once per page for the pickers.

import { create } from "zustand";

import { describeError } from "../api/client";
import { getModelOptions, type ModelOptions } from "../api/models";
import type { LoadStatus } from "./canvasList";

interface ModelOptionsState extends ModelOptions {
  status: LoadStatus;
  error: string;
  load: () => Promise<void>;
}

export const useModelOptions = create<ModelOptionsState>()((set, get) => ({
  status: "idle",
  error: "",
  models: [],
  connections: [],
  load: async () => {
    if (get().status === "loading" || get().status === "ready") return;
    set({ status: "loading", error: "" });
    try {
      set({ status: "ready", ...(await getModelOptions()) });
    } catch (error) {
      set({ status: "error", error: describeError(error, "load the models you may use") });
    }
  },
}));
