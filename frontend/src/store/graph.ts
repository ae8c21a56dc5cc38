// The editor's graph: React Flow's own nodes/edges/viewport (DESIGN §4).

import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from "@xyflow/react";
import { create } from "zustand";

interface GraphState {
  nodes: Node[];
  edges: Edge[];
  setGraph: (graph: { nodes: Node[]; edges: Edge[] }) => void;
  onNodesChange: (changes: NodeChange[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  onConnect: (connection: Connection) => void;
}

export const useGraph = create<GraphState>()((set) => ({
  nodes: [],
  edges: [],
  setGraph: ({ nodes, edges }) => set({ nodes, edges }),
  onNodesChange: (changes) => set((state) => ({ nodes: applyNodeChanges(changes, state.nodes) })),
  onEdgesChange: (changes) => set((state) => ({ edges: applyEdgeChanges(changes, state.edges) })),
  onConnect: (connection) => set((state) => ({ edges: addEdge(connection, state.edges) })),
}));
