import { describe, expect, it } from "vitest";

import { flowAncestors, flowPredecessors, sampleFor } from "../stepSample";

describe("sampleFor", () => {
  it("starts from what the step saw in the last run", () => {
    const context = {
      input: { doc: "a.pdf" },
      query: "go",
      run: { id: "r", query: "go", trigger: "api" },
      steps: {
        fetch: { output: { text: "hi" }, status: "succeeded", error: "" },
        shape: { output: "old", status: "succeeded", error: "" },
        broken: { output: null, status: "failed", error: "x" },
        "coord.s1-a": { output: 1, status: "succeeded", error: "" },
      },
    };
    expect(sampleFor(context, "shape", ["fetch", "broken", "coord.s1-a"], ["fetch"])).toEqual({
      query: "go",
      input: { doc: "a.pdf" },
      steps: { fetch: { text: "hi" } },
    });
  });

  it("without a run, names the steps before it to fill in", () => {
    expect(sampleFor(null, "shape", ["fetch"], ["fetch"])).toEqual({ query: "", input: {}, steps: { fetch: null } });
  });
});

describe("flowPredecessors", () => {
  it("follows flow edges only", () => {
    const edges = [
      { source: "begin", target: "coord" },
      { source: "fetch", target: "coord" },
      { source: "coord", target: "agent", sourceHandle: "agents", targetHandle: "delegate" },
    ];
    expect(flowPredecessors("coord", edges, ["fetch", "coord", "agent"])).toEqual(["fetch"]);
    expect(flowPredecessors("agent", edges, ["fetch", "coord", "agent"])).toEqual([]);
  });
});

describe("flowAncestors", () => {
  it("walks back along flow edges, not forward", () => {
    const edges = [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "c", target: "d" },
    ];
    expect(flowAncestors("c", edges, ["a", "b", "c", "d"])).toEqual(["b", "a"]);
  });
});
