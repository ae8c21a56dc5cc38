// The canvas being edited as a document on the server: load, save a version, restore one,
// import YAML onto it, export it. The graph itself lives in ./graph.ts.

import { applyNodeChanges, type NodeChange, type Viewport } from "@xyflow/react";
import { create } from "zustand";

import {
  exportCanvasYaml,
  getCanvas,
  getVersion,
  importOntoCanvas,
  restoreVersion,
  saveVersion,
  type Problem,
  type VersionSaved,
} from "../api/canvases";
import { describeError } from "../api/client";
import { fromStoredGraph, toStoredGraph } from "../lib/graphJson";
import type { BatonEdge, BatonNode } from "../lib/graphTypes";
import type { JsonSchema } from "../lib/jsonSchema";
import { withSizeEstimates } from "../lib/nodeSize";
import { BIG_GRAPH_NODES } from "../lib/performance";
import { beginInputSchema } from "../lib/runInput";
import type { LoadStatus } from "./canvasList";
import { useComponents } from "./components";
import { useGraph } from "./graph";
import { useValidation } from "./validation";

export interface Preview {
  number: number;
  message: string;
  nodes: BatonNode[];
  edges: BatonEdge[];
}

interface CanvasDocState {
  canvasId: string;
  name: string;
  /** Number of the latest saved version (null: never saved). */
  version: number | null;
  viewport: Viewport | null;
  /** The Begin node's input schema in the latest saved version: the run panel's form. Kept
   * from the graph loaded or saved, so the panel never fetches the whole version again. */
  runInputSchema: JsonSchema | null;
  status: LoadStatus;
  error: string;
  saving: boolean;
  /** A version shown read-only instead of the working graph. */
  preview: Preview | null;

  load: (canvasId: string, signal?: AbortSignal) => Promise<void>;
  save: (message: string, viewport: Viewport | null) => Promise<VersionSaved>;
  showVersion: (number: number) => Promise<void>;
  closePreview: () => void;
  /** React Flow measures the previewed nodes too; nothing else changes them. */
  onPreviewNodesChange: (changes: NodeChange<BatonNode>[]) => void;
  restore: (number: number) => Promise<VersionSaved>;
  importYaml: (file: File) => Promise<VersionSaved>;
  /** The editor's current graph (saved or not) as YAML; problems become comments. */
  exportYaml: (viewport: Viewport | null) => Promise<{ blob: Blob; filename: string }>;
}

function normaliseProblems(problems: readonly Partial<Problem>[]): Problem[] {
  return problems.map((p) => ({ ...p, field: p.field ?? "", message: p.message ?? "", severity: p.severity ?? "error" }));
}

export const useCanvasDoc = create<CanvasDocState>()((set, get) => ({
  canvasId: "",
  name: "",
  version: null,
  viewport: null,
  runInputSchema: null,
  status: "idle",
  error: "",
  saving: false,
  preview: null,

  load: async (canvasId, signal) => {
    // Reloading the canvas already shown (after a restore or an import) keeps the editor mounted.
    const reload = get().status === "ready" && get().canvasId === canvasId;
    set({ canvasId, error: "", preview: null, ...(reload ? {} : { status: "loading" as const }) });
    try {
      const [detail] = await Promise.all([getCanvas(canvasId, signal), useComponents.getState().load()]);
      const graph = fromStoredGraph(detail.graph);
      const { edges, viewport } = graph;
      const byType = useComponents.getState().byType;
      const nodes =
        graph.nodes.length > BIG_GRAPH_NODES ? withSizeEstimates(graph.nodes, edges, (type) => byType[type]?.handles) : graph.nodes;
      useGraph.getState().load({ nodes, edges });
      set({
        name: detail.name,
        version: detail.version,
        viewport,
        runInputSchema: beginInputSchema(detail.graph),
        status: "ready",
      });
    } catch (error) {
      if (signal?.aborted) return;
      set({ status: "error", error: describeError(error, "load the canvas") });
    }
  },

  save: async (message, viewport) => {
    const { canvasId } = get();
    const graphState = useGraph.getState();
    const revision = graphState.revision;
    set({ saving: true });
    try {
      const graph = toStoredGraph(graphState.nodes, graphState.edges, viewport);
      const saved = await saveVersion(canvasId, graph, message);
      // Edits made while the request was in flight stay unsaved.
      if (useGraph.getState().revision === revision) useGraph.getState().markSaved();
      useValidation.getState().setProblems(normaliseProblems(saved.problems ?? []));
      set({ version: saved.number, viewport, runInputSchema: beginInputSchema(graph) });
      return saved;
    } finally {
      set({ saving: false });
    }
  },

  showVersion: async (number) => {
    const version = await getVersion(get().canvasId, number);
    const { nodes, edges } = fromStoredGraph(version.graph);
    set({ preview: { number, message: version.message, nodes, edges } });
  },

  closePreview: () => set({ preview: null }),

  onPreviewNodesChange: (changes) => {
    const preview = get().preview;
    const sizes = changes.filter((change) => change.type === "dimensions");
    if (preview && sizes.length) set({ preview: { ...preview, nodes: applyNodeChanges(sizes, preview.nodes) } });
  },

  restore: async (number) => {
    const saved = await restoreVersion(get().canvasId, number);
    await get().load(get().canvasId);
    useValidation.getState().setProblems(normaliseProblems(saved.problems ?? []));
    return saved;
  },

  importYaml: async (file) => {
    const saved = await importOntoCanvas(get().canvasId, file);
    await get().load(get().canvasId);
    useValidation.getState().setProblems(normaliseProblems(saved.problems ?? []));
    return saved;
  },

  exportYaml: (viewport) => {
    const { nodes, edges } = useGraph.getState();
    return exportCanvasYaml(get().canvasId, toStoredGraph(nodes, edges, viewport));
  },
}));

export { normaliseProblems };
