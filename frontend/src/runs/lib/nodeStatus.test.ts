import { describe, expect, it } from "vitest";

import {
  EMPTY_CANVAS_RUN,
  applyCanvasEvent,
  deriveNodeStatus,
  fromRecord,
  fromSnapshotRun,
  mergeStatusMap,
  topologyOf,
} from "./nodeStatus";
import type { StepRun } from "../../api/runs";
import { RUN, docsAssistantRun, ev } from "./testEvents";

const graph = {
  nodes: [
    { id: "begin", type: "begin" },
    { id: "coordinator", type: "coordinator" },
    { id: "interact", type: "interact" },
    { id: "docs-node", type: "sub_agent", data: { config: { agent: "search-docs" } } },
    { id: "stats-node", type: "sub_agent", data: { config: { agent: "workspace-stats" } } },
    { id: "summary-node", type: "sub_agent", data: { config: { agent: "summarize-text" } } },
  ],
  edges: [
    { source: "begin", target: "coordinator", sourceHandle: "out" },
    { source: "coordinator", target: "interact", sourceHandle: "out" },
    { source: "coordinator", target: "docs-node", sourceHandle: "agents" },
    { source: "coordinator", target: "stats-node", sourceHandle: "agents" },
    { source: "coordinator", target: "summary-node", sourceHandle: "agents" },
  ],
};

function fold(count: number) {
  return docsAssistantRun().slice(0, count).reduce(applyCanvasEvent, EMPTY_CANVAS_RUN);
}

describe("canvas node status", () => {
  it("maps stages onto the coordinator's sub_agent nodes by agent slug", () => {
    const topology = topologyOf(graph);
    const mid = deriveNodeStatus(fold(12), topology); // s1 running

    expect(mid.nodeStatus).toMatchObject({
      begin: "succeeded",
      coordinator: "running",
      "docs-node": "running",
      "coordinator.s1-search-docs": "running",
      interact: "queued",
    });
    expect(mid.nodeStatus["summary-node"]).toBeUndefined(); // not selected
    expect(mid.agentStatus).toEqual({ "search-docs": "running" });

    const end = deriveNodeStatus(fold(27), topology);
    expect(end.nodeStatus).toMatchObject({
      coordinator: "succeeded",
      "docs-node": "succeeded",
      "stats-node": "succeeded",
      interact: "succeeded",
    });
  });

  it("keeps raw step keys and agent statuses without a graph", () => {
    const { nodeStatus, agentStatus } = deriveNodeStatus(fold(27), topologyOf({ nodes: [], edges: [] }));

    expect(nodeStatus).toEqual({
      coordinator: "succeeded",
      "coordinator.s1-search-docs": "succeeded",
      "coordinator.s2-workspace-stats": "succeeded",
    });
    expect(agentStatus).toEqual({ "search-docs": "succeeded", "workspace-stats": "succeeded" });
  });

  it("resets when a new run is queued and ignores the old run's events", () => {
    const first = fold(12);
    const second = applyCanvasEvent(first, { ...ev(1, "run.queued"), run: "run-2" });
    expect(second).toMatchObject({ runId: "run-2", steps: {} });

    const late = applyCanvasEvent(second, ev(13, "step.succeeded", { step: "coordinator" }));
    expect(late).toBe(second);
  });

  it("reads a snapshot, mapping pending to queued and cancelled to skipped", () => {
    const state = fromSnapshotRun({
      run: RUN,
      status: "running",
      last_seq: 9,
      steps: { a: "pending", b: "cancelled", c: "waiting" },
    });
    expect(state.steps).toEqual({ a: "queued", b: "skipped", c: "waiting" });
    expect(applyCanvasEvent(state, ev(9, "step.started", { step: "a" }))).toBe(state);
  });

  it("settles queued steps as skipped when the run ends", () => {
    let state = applyCanvasEvent(EMPTY_CANVAS_RUN, ev(1, "run.queued"));
    state = applyCanvasEvent(state, ev(2, "agent.retrying", { step: "x" }));
    state = applyCanvasEvent(state, ev(3, "approval.requested", { step: "y" }));
    state = applyCanvasEvent(state, ev(4, "step.succeeded", { step: "z" }));
    state = applyCanvasEvent(state, ev(5, "run.cancelled"));
    expect(state.steps).toEqual({ x: "skipped", y: "skipped", z: "succeeded" });
  });

  it("shows a coordinator parked while its stages run as running", () => {
    const state = fromSnapshotRun({ run: RUN, status: "running", last_seq: 12, steps: { coordinator: "waiting" } });
    expect(deriveNodeStatus(state, topologyOf(graph)).nodeStatus.coordinator).toBe("running");
  });

  it("keeps the previous map when nothing changed", () => {
    const prev = { a: "running" as const };
    expect(mergeStatusMap(prev, { a: "running" })).toBe(prev);
    expect(mergeStatusMap(prev, { a: "succeeded" })).toEqual({ a: "succeeded" });
  });
});

describe("fromRecord", () => {
  it("takes the latest attempt of each step and its agent", () => {
    const step = (step_id: string, status: string, extra: Partial<StepRun> = {}) =>
      ({ step_id, status, agent: "", superseded: false, ...extra }) as StepRun;
    const state = fromRecord({
      id: RUN,
      status: "succeeded",
      event_seq: 30,
      steps: [
        step("coordinator", "succeeded"),
        step("coordinator.s1", "failed", { agent: "search-docs", superseded: true }),
        step("coordinator.s1", "succeeded", { agent: "search-docs" }),
      ],
    });
    expect(state).toMatchObject({
      runStatus: "succeeded",
      lastSeq: 30,
      steps: { coordinator: "succeeded", "coordinator.s1": "succeeded" },
      stepAgents: { "coordinator.s1": "search-docs" },
    });
    const { nodeStatus } = deriveNodeStatus(state, topologyOf({
      nodes: [{ id: "coordinator", type: "coordinator" }, { id: "n", type: "sub_agent", data: { config: { agent: "search-docs" } } }],
      edges: [{ source: "coordinator", target: "n", sourceHandle: "agents" }],
    }));
    expect(nodeStatus.n).toBe("succeeded");
  });
});
