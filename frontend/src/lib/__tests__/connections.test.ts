import { describe, expect, it } from "vitest";

import type { HandleSpec } from "../../api/components";
import { connectionProblem, type EdgeLike, type RuleContext } from "../connections";
import { findPath } from "../cycles";

const FLOW_IN: HandleSpec = { id: "in", kind: "target", role: "flow", label: "" };
const FLOW_OUT: HandleSpec = { id: "out", kind: "source", role: "flow", label: "" };
const HANDLES: Record<string, HandleSpec[]> = {
  begin: [FLOW_OUT],
  interact: [FLOW_IN],
  coordinator: [FLOW_IN, FLOW_OUT, { id: "agents", kind: "source", role: "delegation", label: "sub-agents" }],
  sub_agent: [FLOW_IN, FLOW_OUT, { id: "delegate", kind: "target", role: "delegation", label: "coordinator" }],
  transform: [FLOW_IN, FLOW_OUT],
  condition: [FLOW_IN, { id: "true", kind: "source", role: "branch_true", label: "" }, { id: "false", kind: "source", role: "branch_false", label: "" }],
};
const TYPES: Record<string, string> = {
  begin: "begin",
  answer: "interact",
  coord: "coordinator",
  a: "sub_agent",
  b: "sub_agent",
  t1: "transform",
  t2: "transform",
  t3: "transform",
  cond: "condition",
};

function ctx(edges: EdgeLike[] = []): RuleContext {
  return {
    nodeType: (id) => TYPES[id],
    handle: (type, id) => HANDLES[type]?.find((h) => h.id === id),
    handles: (type) => HANDLES[type] ?? [],
    edges,
  };
}

const flow = (source: string, target: string, sourceHandle = "out"): EdgeLike => ({ source, target, sourceHandle, targetHandle: "in" });

describe("connectionProblem", () => {
  it("accepts flow and delegation edges that make sense", () => {
    expect(connectionProblem(flow("begin", "coord"), ctx())).toBeNull();
    expect(connectionProblem({ source: "coord", sourceHandle: "agents", target: "a", targetHandle: "delegate" }, ctx())).toBeNull();
    expect(connectionProblem(flow("cond", "t1", "true"), ctx())).toBeNull();
  });

  it("refuses self loops", () => {
    expect(connectionProblem(flow("t1", "t1"), ctx())).toMatch(/itself/);
  });

  it("refuses inputs into begin and outputs out of interact", () => {
    expect(connectionProblem({ source: "t1", sourceHandle: "out", target: "begin", targetHandle: "in" }, ctx())).toMatch(/Begin/);
    expect(connectionProblem({ source: "answer", sourceHandle: "out", target: "t1", targetHandle: "in" }, ctx())).toMatch(/Interact/);
  });

  it("keeps delegation and flow handles apart", () => {
    expect(connectionProblem({ source: "coord", sourceHandle: "agents", target: "t1", targetHandle: "in" }, ctx())).toMatch(/only to sub-agents/);
    expect(connectionProblem({ source: "coord", sourceHandle: "agents", target: "a", targetHandle: "in" }, ctx())).toMatch(/delegate/);
    expect(connectionProblem({ source: "t1", sourceHandle: "out", target: "a", targetHandle: "delegate" }, ctx())).toMatch(/only accepts/);
  });

  it("says 'an interact' and 'a transform': the article fits the type", () => {
    const delegate = (target: string) => ({ source: "coord", sourceHandle: "agents", target, targetHandle: "in" });
    expect(connectionProblem(delegate("answer"), ctx())).toBe("A coordinator delegates only to sub-agents, not to an interact.");
    expect(connectionProblem(delegate("t1"), ctx())).toBe("A coordinator delegates only to sub-agents, not to a transform.");
    expect(connectionProblem({ source: "begin", sourceHandle: "out", target: "answer", targetHandle: "nope" }, ctx())).toBe(
      "An interact has no input “nope”.",
    );
  });

  it("refuses duplicates", () => {
    expect(connectionProblem(flow("t1", "t2"), ctx([flow("t1", "t2")]))).toMatch(/already connected/);
  });

  it("refuses a flow edge that closes a cycle, naming it", () => {
    const edges = [flow("t1", "t2"), flow("t2", "t3")];
    expect(connectionProblem(flow("t3", "t1"), ctx(edges))).toBe("That would close a cycle: t1 → t2 → t3 → t1.");
  });

  it("ignores delegation edges when looking for cycles", () => {
    const edges = [{ source: "coord", sourceHandle: "agents", target: "a", targetHandle: "delegate" }];
    expect(connectionProblem(flow("t1", "coord"), ctx(edges))).toBeNull();
  });

  it("keeps a sub-agent either delegated or a flow step", () => {
    const delegated = [{ source: "coord", sourceHandle: "agents", target: "a", targetHandle: "delegate" }];
    expect(connectionProblem(flow("t1", "a"), ctx(delegated))).toMatch(/belongs to a coordinator/);
    expect(
      connectionProblem({ source: "coord", sourceHandle: "agents", target: "b", targetHandle: "delegate" }, ctx([flow("t1", "b")])),
    ).toMatch(/is a flow step/);
  });

  it("reads missing handles as the server does (out / in, delegate after agents)", () => {
    expect(connectionProblem({ source: "begin", target: "t1" }, ctx())).toBeNull();
    expect(connectionProblem({ source: "coord", sourceHandle: "agents", target: "a" }, ctx())).toBeNull();
  });
});

describe("findPath", () => {
  it("finds the shortest path or null", () => {
    const adjacency = new Map([
      ["a", ["b", "c"]],
      ["b", ["d"]],
      ["c", ["d"]],
    ]);
    expect(findPath(adjacency, "a", "d")).toEqual(["a", "b", "d"]);
    expect(findPath(adjacency, "d", "a")).toBeNull();
  });

  it("stays linear on a long chain", () => {
    const adjacency = new Map(Array.from({ length: 50_000 }, (_, i) => [`n${i}`, [`n${i + 1}`]]));
    expect(findPath(adjacency, "n0", "n50000")?.length).toBe(50_001);
  });
});
