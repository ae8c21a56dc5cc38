// Live node status for the canvas (issue 5), fed by /ws/canvases/<id>/ (runs/useCanvasStream).
//
// nodeStatus is keyed by canvas node id (= plan step id). A coordinator's stage arrives as
// "<coord>.<stage>": it keeps that key AND colours the coordinator's sub_agent node(s) whose
// config.agent is the stage's agent, mapped through the graph of the run's saved version.
// agentStatus (slug → status) is there for views that have no graph. Nodes subscribe with
// `useRunStatus((s) => s.nodeStatus[id])`: a string, so a node re-renders only when its own
// status changes. The map is replaced only when some value changed.

import { create } from "zustand";

import type { RunDetail, RunEvent } from "../api/runs";
import {
  EMPTY_CANVAS_RUN,
  EMPTY_TOPOLOGY,
  applyCanvasEvent,
  deriveNodeStatus,
  fromRecord,
  fromSnapshotRun,
  mergeStatusMap,
  type CanvasRunState,
  type NodeStatus,
  type SnapshotRun,
  type Topology,
  withEarly,
} from "../runs/lib/nodeStatus";
import type { ConnectionState } from "../runs/lib/socket";

export type { NodeStatus } from "../runs/lib/nodeStatus";

export interface RunStatusState {
  canvasId: string | null;
  /** The run the canvas shows: the latest one started on it. */
  runId: string | null;
  runStatus: string | null;
  nodeStatus: Record<string, NodeStatus>;
  agentStatus: Record<string, NodeStatus>;
  connection: ConnectionState;
  run: CanvasRunState;
  topology: Topology;
  topologyKey: string | null;

  attach: (canvasId: string) => void;
  applySnapshot: (runs: SnapshotRun[]) => void;
  applyEvents: (events: RunEvent[]) => void;
  /** A run was just started from this client: show it (reset) without waiting for the stream. */
  focusRun: (runId: string) => void;
  setTopology: (key: string, topology: Topology) => void;
  setStepAgents: (runId: string, agents: Record<string, string>) => void;
  setConnection: (connection: ConnectionState) => void;
  /** The record of the shown run (after a reconnect whose snapshot no longer lists it). */
  applyRecord: (record: RunDetail) => void;
}

type Derived = Pick<RunStatusState, "nodeStatus" | "agentStatus" | "runId" | "runStatus">;

function derive(state: RunStatusState, run: CanvasRunState, topology: Topology): Derived {
  const { nodeStatus, agentStatus } = deriveNodeStatus(run, topology);
  return {
    runId: run.runId,
    runStatus: run.runStatus,
    nodeStatus: mergeStatusMap(state.nodeStatus, nodeStatus),
    agentStatus: mergeStatusMap(state.agentStatus, agentStatus),
  };
}

export const useRunStatus = create<RunStatusState>()((set, get) => ({
  canvasId: null,
  runId: null,
  runStatus: null,
  nodeStatus: {},
  agentStatus: {},
  connection: "closed",
  run: EMPTY_CANVAS_RUN,
  topology: EMPTY_TOPOLOGY,
  topologyKey: null,

  attach: (canvasId) => {
    if (get().canvasId === canvasId) return;
    set({
      canvasId,
      runId: null,
      runStatus: null,
      nodeStatus: {},
      agentStatus: {},
      run: EMPTY_CANVAS_RUN,
      topology: EMPTY_TOPOLOGY,
      topologyKey: null,
    });
  },

  applySnapshot: (runs) => {
    const state = get();
    const latest = runs[0];
    if (!latest) return; // nothing active: keep showing the last run
    const current = state.run;
    // Same run, and we already know more than the snapshot: keep our picture.
    if (current.runId === latest.run && current.lastSeq >= latest.last_seq) return;
    const same = current.runId === latest.run;
    const run = withEarly(
      { ...fromSnapshotRun(latest), stepAgents: same ? current.stepAgents : {} },
      same ? current.early : [],
    );
    set({ run, ...derive(state, run, state.topology) });
  },

  applyEvents: (events) => {
    const state = get();
    let run = state.run;
    for (const event of events) run = applyCanvasEvent(run, event);
    if (run === state.run) return;
    const prev = state.run;
    const shown = run.runId !== prev.runId || run.runStatus !== prev.runStatus;
    // Most events (agent.delta) only move lastSeq: nothing to re-derive.
    if (!shown && run.steps === prev.steps && run.stepAgents === prev.stepAgents) set({ run });
    else set({ run, ...derive(state, run, state.topology) });
  },

  focusRun: (runId) => {
    const state = get();
    if (state.run.runId === runId) return;
    const run: CanvasRunState = { ...EMPTY_CANVAS_RUN, runId, runStatus: "queued" };
    set({ run, ...derive(state, run, state.topology) });
  },

  setTopology: (key, topology) => {
    const state = get();
    if (state.topologyKey === key) return;
    set({ topology, topologyKey: key, ...derive(state, state.run, topology) });
  },

  setStepAgents: (runId, agents) => {
    const state = get();
    if (state.run.runId !== runId) return;
    const run = { ...state.run, stepAgents: { ...agents, ...state.run.stepAgents } };
    set({ run, ...derive(state, run, state.topology) });
  },

  setConnection: (connection) => set({ connection }),

  applyRecord: (record) => {
    const state = get();
    if (state.run.runId !== record.id || state.run.lastSeq > record.event_seq) return;
    const run = withEarly(fromRecord(record), state.run.early);
    set({ run, ...derive(state, run, state.topology) });
  },
}));

/** A node's live status (undefined: no run has touched it). */
export function statusForNode(state: Pick<RunStatusState, "nodeStatus">, nodeId: string): NodeStatus | undefined {
  return state.nodeStatus[nodeId];
}

/** Hook form of statusForNode, for node components. */
export function useNodeStatus(nodeId: string): NodeStatus | undefined {
  return useRunStatus((state) => state.nodeStatus[nodeId]);
}
