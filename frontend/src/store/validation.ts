// Server-side validation results (POST validate/ or a save), indexed for nodes and fields.
// Nodes subscribe narrowly: useValidation((s) => s.byNode[id]).

import { create } from "zustand";

import type { Problem } from "../api/canvases";
import { indexProblems, type ProblemIndex } from "../lib/problems";

export type ValidationStatus = "idle" | "checking" | "done" | "error";

interface ValidationState extends ProblemIndex {
  problems: Problem[];
  status: ValidationStatus;
  error: string;
  setProblems: (problems: Problem[]) => void;
  setStatus: (status: ValidationStatus, error?: string) => void;
  reset: () => void;
}

const EMPTY = indexProblems([]);

export const useValidation = create<ValidationState>()((set) => ({
  ...EMPTY,
  problems: [],
  status: "idle",
  error: "",
  setProblems: (problems) => set({ problems, ...indexProblems(problems), status: "done", error: "" }),
  setStatus: (status, error = "") => set({ status, error }),
  reset: () => set({ ...EMPTY, problems: [], status: "idle", error: "" }),
}));
