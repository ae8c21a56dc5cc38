import { describe, expect, it } from "vitest";

import { copySelection, pasteClip } from "../clipboard";
import { edgeClassName, fromStoredGraph, toStoredGraph } from "../graphJson";
import type { BatonEdge, BatonNode } from "../graphTypes";
import { emptyHistory, record, redo, undo } from "../history";
import { isValidNodeId, newNodeId } from "../ids";
import { getIn, setIn } from "../paths";
import { indexProblems, problemsByField, worstSeverity } from "../problems";
import { cleanStepOptions, stepOptionsSchema } from "../stepOptions";

const node = (id: string, selected = false): BatonNode => ({
  id,
  type: "transform",
  position: { x: 10, y: 20 },
  data: { label: id, config: { output: { n: 1 } } },
  selected,
});

describe("ids", () => {
  it("makes valid, unused node ids from the component type", () => {
    const taken = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      const id = newNodeId("sub_agent", (c) => taken.has(c));
      expect(isValidNodeId(id)).toBe(true);
      expect(id.startsWith("sub_agent_")).toBe(true);
      expect(taken.has(id)).toBe(false);
      taken.add(id);
    }
    expect(isValidNodeId(newNodeId("9 odd type!", () => false))).toBe(true);
  });
});

describe("history", () => {
  it("undoes and redoes snapshots, and a new change forgets the redo stack", () => {
    let h = record(emptyHistory<number>(), 1);
    h = record(h, 2);
    const back = undo(h, 3)!;
    expect(back.snapshot).toBe(2);
    const forward = redo(back.history, 2)!;
    expect(forward.snapshot).toBe(3);
    expect(record(back.history, 2).future).toEqual([]);
    expect(undo(emptyHistory<number>(), 0)).toBeNull();
  });

  it("keeps at most `limit` steps", () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < 10; i += 1) h = record(h, i, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });
});

describe("clipboard", () => {
  it("copies the selected nodes with the edges between them and pastes them with new ids", () => {
    const nodes = [node("a", true), node("b", true), node("c")];
    const edges: BatonEdge[] = [
      { id: "e1", source: "a", target: "b" },
      { id: "e2", source: "b", target: "c" },
    ];
    const clip = copySelection(nodes, edges)!;
    expect(clip.nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(clip.edges.map((e) => e.id)).toEqual(["e1"]);

    const pasted = pasteClip(clip, (id) => ["a", "b", "c"].includes(id), { x: 40, y: 40 });
    const [pa, pb] = pasted.nodes;
    expect(pa?.id).not.toBe("a");
    expect(pa?.position).toEqual({ x: 50, y: 60 });
    expect(pasted.nodes.every((n) => n.selected)).toBe(true);
    expect(pasted.edges[0]).toMatchObject({ source: pa?.id, target: pb?.id });
    expect(pa?.data).not.toBe(clip.nodes[0]?.data); // a deep copy: editing one never edits the other
  });

  it("copies nothing when nothing is selected", () => {
    expect(copySelection([node("a")], [])).toBeNull();
  });
});

describe("graph JSON", () => {
  it("fills default handles on load and strips presentation on save", () => {
    const loaded = fromStoredGraph({
      nodes: [{ id: "a", type: "transform", position: { x: 1.4, y: 2 }, data: { label: "A", config: {} } }],
      edges: [
        { id: "e", source: "c", target: "a", sourceHandle: "agents" },
        { id: "f", source: "a", target: "b" },
      ],
      viewport: { x: 0, y: 0, zoom: 1 },
    });
    expect(loaded.edges.map((e) => [e.sourceHandle, e.targetHandle, e.className])).toEqual([
      ["agents", "delegate", "edge--delegation"],
      ["out", "in", "edge--flow"],
    ]);
    const saved = toStoredGraph([{ ...loaded.nodes[0]!, selected: true, measured: { width: 1, height: 2 } }], loaded.edges);
    expect(saved.nodes[0]).toEqual({ id: "a", type: "transform", position: { x: 1, y: 2 }, data: { label: "A", config: {} } });
    expect(saved.edges[1]).toEqual({ id: "f", source: "a", target: "b", sourceHandle: "out", targetHandle: "in" });
  });

  it("names edges by meaning", () => {
    expect(edgeClassName({ sourceHandle: "true" })).toBe("edge--true");
    expect(edgeClassName({ sourceHandle: "branches" })).toBe("edge--branches");
  });

  it("survives a malformed graph", () => {
    expect(fromStoredGraph({ nodes: "nope", edges: null } as never)).toEqual({ nodes: [], edges: [], viewport: null });
  });
});

describe("paths", () => {
  it("sets nested values immutably and deletes with undefined", () => {
    const before = { a: { b: 1 }, c: 2 };
    const after = setIn(before, ["a", "b"], 5);
    expect(after).toEqual({ a: { b: 5 }, c: 2 });
    expect(before.a.b).toBe(1);
    expect(setIn(after, ["c"], undefined)).toEqual({ a: { b: 5 } });
    expect(getIn(after, ["a", "b"])).toBe(5);
    expect(getIn(after, ["x", "y"])).toBeUndefined();
  });
});

describe("problems", () => {
  const problems = [
    { message: "too hot", field: "data.config.temperature", node: "c", severity: "error" as const },
    { message: "nested", field: "", node: "c", severity: "warning" as const },
    { message: "dangling", field: "target", edge: "e1", severity: "error" as const },
    { message: "no begin", field: "nodes", severity: "error" as const },
  ];

  it("indexes problems by node, edge and the rest", () => {
    const index = indexProblems(problems);
    expect(index.byNode.c).toHaveLength(2);
    expect(index.byEdge.e1).toHaveLength(1);
    expect(index.general.map((p) => p.message)).toEqual(["no begin"]);
    expect([index.errors, index.warnings]).toEqual([3, 1]);
  });

  it("groups a node's messages by field and finds the worst severity", () => {
    const c = indexProblems(problems).byNode.c;
    expect(problemsByField(c)).toEqual({ "data.config.temperature": ["too hot"], "": ["nested"] });
    expect(worstSeverity(c)).toBe("error");
    expect(worstSeverity([problems[1]!])).toBe("warning");
    expect(worstSeverity(undefined)).toBeNull();
  });
});

describe("step options", () => {
  it("has no options for begin and interact, and the agent-only ones for sub-agents", () => {
    expect(stepOptionsSchema("begin")).toBeNull();
    expect(Object.keys(stepOptionsSchema("sub_agent")!.properties!)).toEqual(["when", "retries", "loop", "input", "fallback"]);
    expect(Object.keys(stepOptionsSchema("coordinator")!.properties!)).toContain("query");
  });

  it("drops unset options", () => {
    expect(cleanStepOptions({ when: "", retries: 0, loop: null, input: {} })).toEqual({ retries: 0 });
    expect(cleanStepOptions({ when: null })).toBeUndefined();
  });
});
