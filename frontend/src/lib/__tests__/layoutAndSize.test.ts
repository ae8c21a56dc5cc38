import { describe, expect, it } from "vitest";

import type { HandleSpec } from "../../api/components";
import { layoutGraph } from "../layout";
import { estimateHandles, estimateNodeSize, withSizeEstimates } from "../nodeSize";
import { nodeSummary } from "../nodeSummary";
import { isTypingTarget, shortcutFor } from "../shortcuts";

describe("layoutGraph", () => {
  const nodes = ["begin", "coord", "answer", "s1", "s2"].map((id) => ({ id, width: 220, height: 80 }));
  const edges = [
    { source: "begin", target: "coord", sourceHandle: "out" },
    { source: "coord", target: "answer", sourceHandle: "out" },
    { source: "coord", target: "s1", sourceHandle: "agents" },
    { source: "coord", target: "s2", sourceHandle: "agents" },
  ];
  const at = layoutGraph(nodes, edges);

  it("lays flow out left to right", () => {
    expect(at.get("begin")!.x).toBeLessThan(at.get("coord")!.x);
    expect(at.get("coord")!.x).toBeLessThan(at.get("answer")!.x);
  });

  it("puts delegated sub-agents in a row under their coordinator", () => {
    const coord = at.get("coord")!;
    const [s1, s2] = [at.get("s1")!, at.get("s2")!];
    expect(s1.y).toBe(s2.y);
    expect(s1.y).toBeGreaterThan(coord.y + 80);
    expect(s2.x - s1.x).toBeGreaterThanOrEqual(220);
    expect((s1.x + s2.x + 220) / 2).toBeCloseTo(coord.x + 110, 0);
  });

  it("places every node", () => {
    expect([...at.keys()].sort()).toEqual(["answer", "begin", "coord", "s1", "s2"]);
  });
});

describe("size estimates", () => {
  const handles: HandleSpec[] = [
    { id: "in", kind: "target", role: "flow", label: "" },
    { id: "out", kind: "source", role: "flow", label: "" },
    { id: "agents", kind: "source", role: "delegation", label: "" },
  ];

  it("matches the CSS: 57 px plus 14 px per summary line", () => {
    expect(estimateNodeSize("begin", 1)).toEqual({ width: 220, height: 71 });
    expect(estimateNodeSize("coordinator", 3)).toEqual({ width: 240, height: 99 });
  });

  it("puts handles on the sides React Flow will find them", () => {
    const [inHandle, outHandle, agents] = estimateHandles(handles, { width: 240, height: 99 });
    expect(inHandle).toMatchObject({ type: "target", position: "left", x: -3 });
    expect(outHandle).toMatchObject({ type: "source", position: "right", x: 232 });
    expect(agents).toMatchObject({ type: "source", position: "bottom", y: 90, width: 16 });
  });

  it("estimates only nodes that are not measured", () => {
    const nodes = [
      { id: "c", type: "coordinator", data: { config: {} } },
      { id: "m", type: "coordinator", measured: { width: 1, height: 1 }, data: { config: {} } },
    ];
    const [estimated, kept] = withSizeEstimates(nodes, [], () => handles);
    expect(estimated).toMatchObject({ measured: { width: 240, height: 99 } });
    expect((estimated as { handles?: unknown[] }).handles).toHaveLength(3);
    expect(kept).toBe(nodes[1]);
  });
});

describe("nodeSummary", () => {
  it("shows each type's key configuration", () => {
    expect(nodeSummary("coordinator", { selection_strategy: "priority_based" }, { delegates: 2 })).toEqual([
      "select: priority",
      "run: sequential",
      "2 sub-agents",
    ]);
    expect(nodeSummary("sub_agent", { agent: "search-docs" })).toEqual(["agent: search-docs"]);
    expect(nodeSummary("condition", { expression: "input.n > 3" })).toEqual(["if input.n > 3"]);
    expect(nodeSummary("wait", { duration_seconds: 120 })).toEqual(["wait 2 min"]);
    expect(nodeSummary("wait", { event: "paid" })).toEqual(["until event paid"]);
  });
});

describe("shortcuts", () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean }> = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });

  it("maps keys to actions", () => {
    expect(shortcutFor(key("z", { ctrlKey: true }))).toBe("undo");
    expect(shortcutFor(key("Z", { ctrlKey: true, shiftKey: true }))).toBe("redo");
    expect(shortcutFor(key("y", { metaKey: true }))).toBe("redo");
    expect(shortcutFor(key("v", { ctrlKey: true }))).toBe("paste");
    expect(shortcutFor(key("?", { shiftKey: true }))).toBe("help");
    expect(shortcutFor(key("L", { shiftKey: true }))).toBe("layout");
    expect(shortcutFor(key("x"))).toBeNull();
  });

  it("leaves keys typed into text fields to the field", () => {
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "text" } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: false } as unknown as EventTarget)).toBe(false);
  });
});
