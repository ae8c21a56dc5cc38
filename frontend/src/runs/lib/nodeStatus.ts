// Live node status on the canvas (pure): the canvas stream's events and snapshots fold into
// per-step statuses, which map onto canvas nodes. A plan step id IS a canvas node id; a
// coordinator's stage "<coord>.<stage>" maps onto the coordinator's sub_agent node(s) whose
// config.agent is the stage's agent (inline sub-agents compile to "inline-<node id>").

import { isRunLifecycleEvent, isTerminal, RUN_STATUS_BY_EVENT, type RunDetail, type RunEvent } from "../../api/runs";

export type NodeStatus = "queued" | "running" | "waiting" | "succeeded" | "failed" | "skipped";

export const NODE_STATUSES: readonly NodeStatus[] = [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "skipped",
];

/** When several steps land on one node (two stages of one agent), the most telling wins. */
const PRIORITY: Record<NodeStatus, number> = {
  running: 6,
  waiting: 5,
  queued: 4,
  failed: 3,
  succeeded: 2,
  skipped: 1,
};

export function strongerStatus(a: NodeStatus | undefined, b: NodeStatus): NodeStatus {
  return a && PRIORITY[a] >= PRIORITY[b] ? a : b;
}

/** A StepRun status (snapshot) as a node status. */
export function nodeStatusOfStep(status: string): NodeStatus | null {
  switch (status) {
    case "pending":
      return "queued";
    case "running":
    case "waiting":
    case "succeeded":
    case "failed":
    case "skipped":
      return status;
    case "cancelled":
      return "skipped";
    default:
      return null;
  }
}

/** What an event says about its step's status, or null when it says nothing. */
export function nodeStatusOfEvent(event: Pick<RunEvent, "type" | "data">): NodeStatus | null {
  switch (event.type) {
    case "step.started":
      return "running";
    case "approval.decided":
    case "input.received":
      // a run that ended cancels its open items: the step does not resume
      return event.data?.status === "cancelled" ? "skipped" : "running";
    case "step.succeeded":
      return "succeeded";
    case "step.failed":
      return "failed";
    case "step.skipped":
    case "step.cancelled":
      return "skipped";
    case "agent.retrying":
    case "agent.fallback":
      return "queued";
    case "approval.requested":
    case "input.requested":
      return "waiting";
    default:
      return null;
  }
}

// ----------------------------------------------------------------------------- topology

interface GraphLike {
  nodes: { id: string; type?: string; data?: { config?: Record<string, unknown> } }[];
  edges: { source: string; target: string; sourceHandle?: string | null }[];
}

export interface Topology {
  /** node id → component type */
  types: Record<string, string>;
  /** coordinator node id → agent slug → its sub_agent node ids */
  delegates: Record<string, Record<string, string[]>>;
  /** sub_agent node ids delegated to by a coordinator (not plan steps themselves) */
  delegated: Record<string, true>;
}

export const EMPTY_TOPOLOGY: Topology = { types: {}, delegates: {}, delegated: {} };

export function agentSlugOfNode(node: GraphLike["nodes"][number]): string | null {
  const config = node.data?.config ?? {};
  if (typeof config.agent === "string" && config.agent) return config.agent;
  if (config.inline && typeof config.inline === "object") return `inline-${node.id.toLowerCase()}`;
  return null;
}

export function topologyOf(graph: GraphLike): Topology {
  const types: Record<string, string> = {};
  const byId: Record<string, GraphLike["nodes"][number]> = {};
  for (const node of graph.nodes) {
    types[node.id] = node.type ?? "";
    byId[node.id] = node;
  }
  const delegates: Topology["delegates"] = {};
  const delegated: Topology["delegated"] = {};
  for (const edge of graph.edges) {
    if (types[edge.source] !== "coordinator" || edge.sourceHandle !== "agents") continue;
    const target = byId[edge.target];
    if (!target || target.type !== "sub_agent") continue;
    const slug = agentSlugOfNode(target);
    if (!slug) continue;
    const bySlug = (delegates[edge.source] ??= {});
    const ids = (bySlug[slug] ??= []);
    if (!ids.includes(target.id)) ids.push(target.id);
    delegated[target.id] = true;
  }
  return { types, delegates, delegated };
}

/** Nodes whose status is the run's, not a step's: begin (entry) and interact (the answer). */
function isEndpoint(type: string | undefined): boolean {
  return type === "begin" || type === "interact";
}

// ----------------------------------------------------------------------------- canvas state

export interface CanvasRunState {
  runId: string | null;
  runStatus: string | null;
  lastSeq: number;
  /** step id → status (the run's own keys, "<coord>.<stage>" included) */
  steps: Record<string, NodeStatus>;
  /** step id → agent slug, for stages */
  stepAgents: Record<string, string>;
  /** Events of this run that arrived ahead of a gap (seq > lastSeq + 1), in seq order: they
   * apply once the gap is filled (by a late event or from GET /api/runs/<id>/events/). */
  early: RunEvent[];
}

export const EMPTY_CANVAS_RUN: CanvasRunState = {
  runId: null,
  runStatus: null,
  lastSeq: 0,
  steps: {},
  stepAgents: {},
  early: [],
};

export interface SnapshotRun {
  run: string;
  status: string;
  last_seq: number;
  steps: Record<string, string>;
}

export function fromSnapshotRun(run: SnapshotRun): CanvasRunState {
  const steps: Record<string, NodeStatus> = {};
  for (const [stepId, status] of Object.entries(run.steps ?? {})) {
    const mapped = nodeStatusOfStep(status);
    if (mapped) steps[stepId] = mapped;
  }
  return { runId: run.run, runStatus: run.status, lastSeq: run.last_seq ?? 0, steps, stepAgents: {}, early: [] };
}

/** The canvas state of a run from its record (GET /api/runs/<id>/). */
export function fromRecord(record: Pick<RunDetail, "id" | "status" | "event_seq" | "steps">): CanvasRunState {
  const steps: Record<string, NodeStatus> = {};
  const stepAgents: Record<string, string> = {};
  for (const step of record.steps) {
    if (step.superseded) continue;
    const mapped = nodeStatusOfStep(step.status);
    if (mapped) steps[step.step_id] = mapped;
    if (step.agent) stepAgents[step.step_id] = step.agent;
  }
  return { runId: record.id, runStatus: record.status, lastSeq: record.event_seq, steps, stepAgents, early: [] };
}

/**
 * Folds one canvas-stream event into the state of the run shown on the canvas. A new run
 * (run.queued of another run) replaces it: the canvas shows the latest run. Events of other
 * runs, and duplicates (seq ≤ lastSeq), are ignored. The canvas socket delivers each event
 * at most once and in broadcast order, which is not seq order (engine threads and workers
 * broadcast after their own commits): an event ahead of a gap waits in `early`, so a late
 * one is applied in its place, not dropped as a duplicate.
 */
export function applyCanvasEvent(state: CanvasRunState, event: RunEvent): CanvasRunState {
  if (event.type === "run.queued" && event.run !== state.runId) {
    return { ...EMPTY_CANVAS_RUN, runId: event.run, runStatus: "queued", lastSeq: event.seq };
  }
  if (event.run !== state.runId || event.seq <= state.lastSeq) return state;
  if (event.seq > state.lastSeq + 1) {
    if (state.early.some((e) => e.seq === event.seq)) return state;
    return { ...state, early: [...state.early, event].sort((a, b) => a.seq - b.seq) };
  }
  return applyEarly(applyNext(state, event));
}

/** True while events of the shown run wait for a gap before them to be filled. */
export function hasGap(state: CanvasRunState): boolean {
  return state.early.length > 0;
}

/** The state after its lastSeq moved (a snapshot, a record): held events it now covers are
 * dropped, and those that follow on from it apply. */
export function withEarly(state: CanvasRunState, early: readonly RunEvent[]): CanvasRunState {
  const pending = early.filter((e) => e.run === state.runId && e.seq > state.lastSeq);
  return applyEarly({ ...state, early: pending });
}

function applyEarly(state: CanvasRunState): CanvasRunState {
  let next = state;
  while (next.early.length && next.early[0]!.seq <= next.lastSeq + 1) {
    const [first, ...rest] = next.early;
    next = { ...next, early: rest };
    if (first!.seq === next.lastSeq + 1) next = applyNext(next, first!);
  }
  return next;
}

/** Applies the event that follows lastSeq. */
function applyNext(state: CanvasRunState, event: RunEvent): CanvasRunState {
  const next: CanvasRunState = { ...state, lastSeq: event.seq };
  if (isRunLifecycleEvent(event.type)) {
    next.runStatus = RUN_STATUS_BY_EVENT[event.type];
    if (isTerminal(next.runStatus)) next.steps = settleQueued(state.steps);
    return next;
  }
  const status = nodeStatusOfEvent(event);
  if (!status || !event.step) return next;
  if (state.steps[event.step] !== status) next.steps = { ...state.steps, [event.step]: status };
  const agent = event.type === "agent.fallback" ? (event.data.to as string | undefined) : event.agent;
  if (agent && state.stepAgents[event.step] !== agent) {
    next.stepAgents = { ...state.stepAgents, [event.step]: agent };
  }
  return next;
}

/** A run that ended leaves its never-started and still-waiting steps skipped (the engine
 * cancels them without a step event), not queued or waiting forever. */
export function settleQueued<T extends string>(steps: Record<string, T | NodeStatus>): Record<string, T | NodeStatus> {
  const values = Object.values(steps);
  if (!values.includes("queued") && !values.includes("waiting")) return steps;
  const settled: Record<string, T | NodeStatus> = {};
  for (const [id, status] of Object.entries(steps)) {
    settled[id] = status === "queued" || status === "waiting" ? "skipped" : status;
  }
  return settled;
}

function agentOfStep(state: CanvasRunState, stepId: string): string | null {
  return state.stepAgents[stepId] ?? null;
}

/** A stage "<coord>.<stage>"'s coordinator, when the topology knows it as one. */
function coordinatorOfStage(topology: Topology, stepId: string): string | null {
  const dot = stepId.indexOf(".");
  if (dot <= 0) return null;
  const coord = stepId.slice(0, dot);
  return topology.types[coord] === "coordinator" ? coord : null;
}

export interface DerivedStatus {
  /** canvas node id (and, always, every raw step id) → status */
  nodeStatus: Record<string, NodeStatus>;
  /** agent slug → status of its latest-weighted stage (for views without the graph) */
  agentStatus: Record<string, NodeStatus>;
}

/**
 * Node statuses for the canvas. Every raw step id keeps its own key (so "<coord>.<stage>" is
 * always there); with a topology, stages also colour their sub_agent nodes, begin follows the
 * run's start, interact its end, and top-level steps not yet started show as queued.
 */
export function deriveNodeStatus(state: CanvasRunState, topology: Topology): DerivedStatus {
  const nodeStatus: Record<string, NodeStatus> = {};
  const agentStatus: Record<string, NodeStatus> = {};
  if (!state.runId) return { nodeStatus, agentStatus };
  const run = state.runStatus;
  const ended = run === "succeeded" || run === "failed" || run === "cancelled" || run === "timed_out";
  const started = run !== null && run !== "queued";

  for (const [id, type] of Object.entries(topology.types)) {
    if (type === "begin") nodeStatus[id] = started ? "succeeded" : "queued";
    else if (type === "interact") {
      nodeStatus[id] = !ended ? "queued" : run === "succeeded" ? "succeeded" : run === "failed" || run === "timed_out" ? "failed" : "skipped";
    } else if (!topology.delegated[id] && !isEndpoint(type)) {
      nodeStatus[id] = ended ? "skipped" : "queued";
    }
  }
  for (const [stepId, status] of Object.entries(state.steps)) {
    const coord = coordinatorOfStage(topology, stepId);
    const agent = agentOfStep(state, stepId);
    if (agent) agentStatus[agent] = strongerStatus(agentStatus[agent], status);
    if (coord) {
      nodeStatus[stepId] = status;
      for (const nodeId of (agent && topology.delegates[coord]?.[agent]) || []) {
        nodeStatus[nodeId] = strongerStatus(nodeStatus[nodeId], status);
      }
    } else if (status === "waiting" && topology.types[stepId] === "coordinator") {
      // The engine parks a coordinator as "waiting" while its stages run (a snapshot says so;
      // live events never do): on the canvas it is at work.
      nodeStatus[stepId] = "running";
    } else {
      nodeStatus[stepId] = status; // a plan step: its id is the node id
    }
  }
  return { nodeStatus, agentStatus };
}

/** Replaces `prev` only where values changed; returns `prev` itself when nothing did. */
export function mergeStatusMap<T extends string>(
  prev: Record<string, T>,
  next: Record<string, T>,
): Record<string, T> {
  const prevKeys = Object.keys(prev);
  if (prevKeys.length === Object.keys(next).length && prevKeys.every((k) => prev[k] === next[k])) {
    return prev;
  }
  return next;
}
