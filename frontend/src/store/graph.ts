// The editor's graph: React Flow's own nodes and edges (docs/architecture.md), with undo/redo history,
// the dirty flag and a content revision that drives debounced validation.
//
// Components subscribe narrowly (one node's data, the dirty flag …), never to the whole graph,
// except the canvas itself, which hands nodes/edges to React Flow.

import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { create } from "zustand";

import { copySelection, pasteClip, type Clip } from "../lib/clipboard";
import { connectionProblem } from "../lib/connections";
import { toEditorEdge } from "../lib/graphJson";
import type { BatonEdge, BatonNode, BatonNodeData } from "../lib/graphTypes";
import { emptyHistory, record, redo, undo, type History } from "../lib/history";
import { isValidNodeId, newEdgeId } from "../lib/ids";
import type { Point } from "../lib/layout";
import { findHandle, handlesOf } from "./components";

export interface Snapshot {
  nodes: BatonNode[];
  edges: BatonEdge[];
}

interface GraphState {
  nodes: BatonNode[];
  edges: BatonEdge[];
  history: History<Snapshot>;
  dirty: boolean;
  /** Bumps on every change of content (not of selection or measured size). */
  revision: number;
  selectedNodeIds: string[];
  selectedEdgeIds: string[];

  load: (graph: Snapshot) => void;
  markSaved: () => void;
  onNodesChange: (changes: NodeChange<BatonNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<BatonEdge>[]) => void;
  onConnect: (connection: Connection) => void;
  /** Record an undo step before a change; calls with the same key within 1 s coalesce. */
  checkpoint: (coalesceKey?: string) => void;
  addNode: (node: BatonNode) => void;
  updateNodeData: (id: string, update: (data: BatonNodeData) => BatonNodeData, coalesceKey?: string) => void;
  renameNode: (id: string, newId: string) => string | null;
  removeElements: (nodeIds: readonly string[], edgeIds?: readonly string[]) => void;
  setPositions: (positions: ReadonlyMap<string, Point>) => void;
  select: (nodeIds: readonly string[], edgeIds?: readonly string[]) => void;
  selectAll: () => void;
  undo: () => void;
  redo: () => void;
  copy: () => number;
  paste: () => number;
}

// --- helpers ----------------------------------------------------------------------------

const CONTENT_NODE_CHANGES = new Set(["position", "add", "remove", "replace"]);
const COALESCE_MS = 1000;
let lastCheckpoint = { key: "", at: 0 };
let checkpointThisTick = false;

let clipboard: Clip | null = null;
let pasteCount = 0;
const CLIPBOARD_KEY = "baton.clipboard";

function readClipboard(): Clip | null {
  if (clipboard) return clipboard;
  try {
    const raw = window.localStorage.getItem(CLIPBOARD_KEY);
    return raw ? (JSON.parse(raw) as Clip) : null;
  } catch {
    return null;
  }
}

function selectedIds<T extends { id: string; selected?: boolean }>(items: readonly T[]): string[] {
  const ids: string[] = [];
  for (const item of items) if (item.selected) ids.push(item.id);
  return ids;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * A node React Flow has just measured keeps its real handle positions: drop the estimated
 * `handles` (lib/nodeSize.ts) so React Flow stops preferring them over what it measured.
 */
function dropEstimatedHandles(nodes: BatonNode[], changes: readonly NodeChange<BatonNode>[]): BatonNode[] {
  const measured = new Set<string>();
  for (const change of changes) if (change.type === "dimensions") measured.add(change.id);
  let changed = false;
  const next = nodes.map((node) => {
    if (!node.handles || !measured.has(node.id)) return node;
    changed = true;
    const { handles: _estimated, ...rest } = node;
    return rest;
  });
  return changed ? next : nodes;
}

/**
 * The edges whose two ends are still in the graph. React Flow removes a deleted node's edges
 * only among those it was given, and a big graph gives it only the edges near the view
 * (lib/renderWindow.ts).
 */
function edgesBetween(nodes: readonly BatonNode[], edges: BatonEdge[]): BatonEdge[] {
  const ids = new Set(nodes.map((n) => n.id));
  const kept = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  return kept.length === edges.length ? edges : kept;
}

function nodeTypeIn(nodes: readonly BatonNode[]) {
  let index: Map<string, string> | null = null;
  return (id: string) => {
    index ??= new Map(nodes.map((n) => [n.id, n.type ?? ""]));
    return index.get(id);
  };
}

/** Why a connection is refused in the current graph (null when fine). */
export function connectionProblemIn(nodes: readonly BatonNode[], edges: readonly BatonEdge[], connection: Connection | BatonEdge) {
  return connectionProblem(connection, {
    nodeType: nodeTypeIn(nodes),
    handle: findHandle,
    handles: handlesOf,
    edges,
  });
}

// --- the store --------------------------------------------------------------------------

export const useGraph = create<GraphState>()((set, get) => {
  /** Content changed: mark dirty and bump the revision. */
  const changed = (patch: Partial<GraphState>): Partial<GraphState> => ({
    ...patch,
    dirty: true,
    revision: get().revision + 1,
  });

  const withSelection = (patch: Partial<GraphState>): Partial<GraphState> => {
    const state = get();
    const nodes = patch.nodes ?? state.nodes;
    const edges = patch.edges ?? state.edges;
    const selectedNodeIds = selectedIds(nodes);
    const selectedEdgeIds = selectedIds(edges);
    return {
      ...patch,
      ...(sameIds(selectedNodeIds, state.selectedNodeIds) ? {} : { selectedNodeIds }),
      ...(sameIds(selectedEdgeIds, state.selectedEdgeIds) ? {} : { selectedEdgeIds }),
    };
  };

  const restore = (snapshot: Snapshot, history: History<Snapshot>) =>
    set(withSelection(changed({ nodes: snapshot.nodes, edges: snapshot.edges, history })));

  return {
    nodes: [],
    edges: [],
    history: emptyHistory(),
    dirty: false,
    revision: 0,
    selectedNodeIds: [],
    selectedEdgeIds: [],

    load: ({ nodes, edges }) => {
      lastCheckpoint = { key: "", at: 0 };
      set({
        nodes,
        edges,
        history: emptyHistory(),
        dirty: false,
        revision: get().revision + 1,
        ...withSelection({ nodes, edges }),
      });
    },

    markSaved: () => set({ dirty: false }),

    checkpoint: (coalesceKey) => {
      const now = Date.now();
      if (coalesceKey && lastCheckpoint.key === coalesceKey && now - lastCheckpoint.at < COALESCE_MS) {
        lastCheckpoint.at = now;
        return;
      }
      lastCheckpoint = { key: coalesceKey ?? "", at: now };
      // Several change batches of one gesture (nodes removed, then their edges) are one step.
      if (!coalesceKey) {
        if (checkpointThisTick) return;
        checkpointThisTick = true;
        queueMicrotask(() => {
          checkpointThisTick = false;
        });
      }
      const { nodes, edges, history } = get();
      set({ history: record(history, { nodes, edges }) });
    },

    onNodesChange: (changes) => {
      let content = false;
      let selection = false;
      let structural = false;
      for (const change of changes) {
        if (change.type === "select" || change.type === "add" || change.type === "remove" || change.type === "replace") selection = true;
        if (change.type === "add" || change.type === "remove" || change.type === "replace") structural = true;
        if (CONTENT_NODE_CHANGES.has(change.type) && !(change.type === "position" && !change.position)) content = true;
      }
      if (structural) get().checkpoint();
      let nodes = applyNodeChanges(changes, get().nodes);
      if (changes.some((c) => c.type === "dimensions")) nodes = dropEstimatedHandles(nodes, changes);
      const patch: Partial<GraphState> = content ? changed({ nodes }) : { nodes };
      if (structural) patch.edges = edgesBetween(nodes, get().edges);
      set(selection ? withSelection(patch) : patch);
    },

    onEdgesChange: (changes) => {
      const structural = changes.some((c) => c.type !== "select");
      if (structural) get().checkpoint();
      const edges = applyEdgeChanges(changes, get().edges);
      set(withSelection(structural ? changed({ edges }) : { edges }));
    },

    onConnect: (connection) => {
      const { nodes, edges } = get();
      if (connectionProblemIn(nodes, edges, connection)) return;
      get().checkpoint();
      const edge = toEditorEdge({
        id: newEdgeId((id) => edges.some((e) => e.id === id)),
        source: connection.source,
        target: connection.target,
        sourceHandle: connection.sourceHandle,
        targetHandle: connection.targetHandle,
      });
      set(changed({ edges: [...edges, edge] }));
    },

    addNode: (node) => {
      get().checkpoint();
      const nodes = get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
      set(withSelection(changed({ nodes: [...nodes, { ...node, selected: true }] })));
    },

    updateNodeData: (id, update, coalesceKey) => {
      const { nodes } = get();
      const index = nodes.findIndex((n) => n.id === id);
      const node = nodes[index];
      if (!node) return;
      const data = update(node.data);
      if (data === node.data) return;
      get().checkpoint(coalesceKey ? `${id}:${coalesceKey}` : undefined);
      const next = nodes.slice();
      next[index] = { ...node, data };
      set(changed({ nodes: next }));
    },

    renameNode: (id, newId) => {
      const { nodes, edges } = get();
      if (newId === id) return null;
      if (!isValidNodeId(newId)) {
        return "Start with a letter or _, then letters, digits, _ or - (at most 64 characters).";
      }
      if (nodes.some((n) => n.id === newId)) return `Another node is already called “${newId}”.`;
      get().checkpoint();
      set(
        withSelection(
          changed({
            nodes: nodes.map((n) => (n.id === id ? { ...n, id: newId } : n)),
            edges: edges.map((e) =>
              e.source === id || e.target === id
                ? { ...e, source: e.source === id ? newId : e.source, target: e.target === id ? newId : e.target }
                : e,
            ),
          }),
        ),
      );
      return null;
    },

    removeElements: (nodeIds, edgeIds = []) => {
      const dropNodes = new Set(nodeIds);
      const dropEdges = new Set(edgeIds);
      const { nodes, edges } = get();
      if (dropNodes.size === 0 && dropEdges.size === 0) return;
      get().checkpoint();
      set(
        withSelection(
          changed({
            nodes: nodes.filter((n) => !dropNodes.has(n.id)),
            edges: edges.filter((e) => !dropEdges.has(e.id) && !dropNodes.has(e.source) && !dropNodes.has(e.target)),
          }),
        ),
      );
    },

    setPositions: (positions) => {
      get().checkpoint();
      set(
        changed({
          nodes: get().nodes.map((n) => {
            const p = positions.get(n.id);
            return p ? { ...n, position: { x: p.x, y: p.y } } : n;
          }),
        }),
      );
    },

    select: (nodeIds, edgeIds = []) => {
      const pickNodes = new Set(nodeIds);
      const pickEdges = new Set(edgeIds);
      const flip = <T extends { id: string; selected?: boolean }>(items: T[], picked: Set<string>) =>
        items.map((item) => (Boolean(item.selected) === picked.has(item.id) ? item : { ...item, selected: picked.has(item.id) }));
      const { nodes, edges } = get();
      set(withSelection({ nodes: flip(nodes, pickNodes), edges: flip(edges, pickEdges) }));
    },

    selectAll: () => {
      const { nodes } = get();
      get().select(nodes.map((n) => n.id));
    },

    undo: () => {
      const { nodes, edges, history } = get();
      const step = undo(history, { nodes, edges });
      if (step) restore(step.snapshot, step.history);
    },

    redo: () => {
      const { nodes, edges, history } = get();
      const step = redo(history, { nodes, edges });
      if (step) restore(step.snapshot, step.history);
    },

    copy: () => {
      const { nodes, edges } = get();
      const clip = copySelection(nodes, edges);
      if (!clip) return 0;
      clipboard = clip;
      pasteCount = 0;
      try {
        window.localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(clip));
      } catch {
        // storage full or disabled: the in-memory clipboard still works on this page
      }
      return clip.nodes.length;
    },

    paste: () => {
      const clip = readClipboard();
      if (!clip || clip.nodes.length === 0) return 0;
      pasteCount += 1;
      const { nodes, edges } = get();
      const taken = new Set(nodes.map((n) => n.id));
      const pasted = pasteClip(clip, (id) => taken.has(id), { x: 40 * pasteCount, y: 40 * pasteCount });
      get().checkpoint();
      set(
        withSelection(
          changed({
            nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes],
            edges: [...edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pasted.edges],
          }),
        ),
      );
      return pasted.nodes.length;
    },
  };
});

/** The one selected node's id, or null when none or several are selected. */
export function useSingleSelectedNodeId(): string | null {
  return useGraph((s) => (s.selectedNodeIds.length === 1 ? (s.selectedNodeIds[0] ?? null) : null));
}
