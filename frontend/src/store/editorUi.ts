// Editor chrome: which side panel is open, the connection hint, toasts, dialogs.

import { create } from "zustand";

export type SideTab = "properties" | "run" | "triggers";
export type Dialog = null | "save" | "versions" | "shortcuts" | "import";

export interface Toast {
  id: number;
  kind: "info" | "error" | "success";
  text: string;
}

interface EditorUiState {
  sideOpen: boolean;
  sideTab: SideTab;
  problemsOpen: boolean;
  dialog: Dialog;
  /** Why the connection being dragged is refused (null when it is fine or none is dragged). */
  connectionHint: string | null;
  toasts: Toast[];
  /** Fit the graph in view once its nodes are measured (on open, after an import). */
  fitPending: boolean;
  requestFit: (pending?: boolean) => void;
  setSide: (tab: SideTab) => void;
  toggleSide: () => void;
  setProblemsOpen: (open: boolean) => void;
  openDialog: (dialog: Dialog) => void;
  setConnectionHint: (hint: string | null) => void;
  toast: (text: string, kind?: Toast["kind"]) => void;
  dismissToast: (id: number) => void;
}

let nextToast = 1;

export const useEditorUi = create<EditorUiState>()((set, get) => ({
  sideOpen: true,
  sideTab: "properties",
  problemsOpen: false,
  dialog: null,
  connectionHint: null,
  toasts: [],
  fitPending: false,
  requestFit: (pending = true) => set({ fitPending: pending }),
  setSide: (tab) => set({ sideTab: tab, sideOpen: true }),
  toggleSide: () => set((state) => ({ sideOpen: !state.sideOpen })),
  setProblemsOpen: (open) => set({ problemsOpen: open }),
  openDialog: (dialog) => set({ dialog }),
  setConnectionHint: (hint) => {
    if (get().connectionHint !== hint) set({ connectionHint: hint });
  },
  toast: (text, kind = "info") => {
    const id = nextToast++;
    set((state) => ({ toasts: [...state.toasts.slice(-3), { id, kind, text }] }));
    window.setTimeout(() => get().dismissToast(id), kind === "error" ? 8000 : 4000);
  },
  dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
}));
