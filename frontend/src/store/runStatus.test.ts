// The canvas's live node status (useRunStatus) when the canvas socket delivers a run's events
// out of seq order or loses one: engine threads broadcast after their own commits, so the
// socket's order is not seq order, and the channel layer delivers at most once.

import { beforeEach, describe, expect, it } from "vitest";

import { topologyOf } from "../runs/lib/nodeStatus";
import { docsAssistantRun, RUN } from "../runs/lib/testEvents";
import type { RunEvent } from "../api/runs";
import { useRunStatus } from "./runStatus";

const graph = {
  nodes: [
    { id: "begin", type: "begin" },
    { id: "coordinator", type: "coordinator" },
    { id: "interact", type: "interact" },
    { id: "docs-node", type: "sub_agent", data: { config: { agent: "search-docs" } } },
    { id: "stats-node", type: "sub_agent", data: { config: { agent: "workspace-stats" } } },
  ],
  edges: [
    { source: "begin", target: "coordinator", sourceHandle: "out" },
    { source: "coordinator", target: "interact", sourceHandle: "out" },
    { source: "coordinator", target: "docs-node", sourceHandle: "agents" },
    { source: "coordinator", target: "stats-node", sourceHandle: "agents" },
  ],
};

const events = docsAssistantRun();
const bySeq = (seq: number): RunEvent => events.find((e) => e.seq === seq)!;
const last = events[events.length - 1]!; // run.succeeded
const coordinatorDone = events.find((e) => e.type === "step.succeeded" && e.step === "coordinator")!;

function store() {
  return useRunStatus.getState();
}

function statuses() {
  const { nodeStatus } = store();
  return { coordinator: nodeStatus.coordinator, docs: nodeStatus["docs-node"], interact: nodeStatus.interact };
}

const ALL_DONE = { coordinator: "succeeded", docs: "succeeded", interact: "succeeded" };

beforeEach(() => {
  store().attach(`canvas-${Math.random()}`);
  store().setTopology("docs@1", topologyOf(graph));
  store().focusRun(RUN);
});

describe("the canvas follows a run whose events arrive out of order", () => {
  it("applies a step's end that arrives after the run's end (it is late, not a duplicate)", () => {
    const before = events.filter((e) => e !== coordinatorDone && e !== last);
    store().applyEvents(before);
    store().applyEvents([last]); // run.succeeded, broadcast first by the thread that ended the run
    store().applyEvents([coordinatorDone]); // then the coordinator's step.succeeded

    expect(statuses()).toEqual(ALL_DONE);
    expect(store().run.lastSeq).toBe(last.seq);
    expect(store().run.early).toEqual([]);
  });

  it("holds events behind a gap until the missing one comes (from the events endpoint)", () => {
    const missing = bySeq(last.seq - 1);
    store().applyEvents(events.filter((e) => e !== missing));

    expect(store().runStatus).not.toBe("succeeded"); // run.succeeded waits for the gap
    expect(store().run.lastSeq).toBe(missing.seq - 1);

    store().applyEvents([missing]);

    expect(statuses()).toEqual(ALL_DONE);
    expect(store().run.early).toEqual([]);
  });

  it("drops true duplicates and held events that a later snapshot already covers", () => {
    store().applyEvents(events.slice(0, 10));
    store().applyEvents([bySeq(12), bySeq(12)]); // 11 is missing; 12 twice
    expect(store().run.early.map((e) => e.seq)).toEqual([12]);

    store().applySnapshot([{ run: RUN, status: "running", last_seq: 12, steps: { coordinator: "waiting" } }]);
    expect(store().run.early).toEqual([]);
    expect(store().run.lastSeq).toBe(12);

    store().applyEvents(events.slice(0, 20)); // replayed: only 13… apply
    store().applyEvents(events);
    expect(statuses()).toEqual(ALL_DONE);
  });
});
