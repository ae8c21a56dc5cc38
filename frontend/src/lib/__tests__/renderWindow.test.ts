import { describe, expect, it } from "vitest";

import type { HandleSpec } from "../../api/components";
import type { BatonEdge, BatonNode } from "../graphTypes";
import { OVERSCAN, viewBox, windowedGraph, windowFor, windowServes, type Box } from "../renderWindow";

const SIZE = { width: 200, height: 60 };
const HANDLES: HandleSpec[] = [
  { id: "in", kind: "target", role: "flow", label: "" },
  { id: "out", kind: "source", role: "flow", label: "" },
];
const handlesOf = () => HANDLES;

const node = (id: string, x: number, y: number, selected = false): BatonNode => ({
  id,
  type: "transform",
  position: { x, y },
  measured: SIZE,
  data: { label: id, config: {} },
  selected,
});
const edge = (source: string, target: string, selected = false): BatonEdge => ({ id: `${source}->${target}`, source, target, selected });

const WINDOW: Box = { x: 0, y: 0, width: 1000, height: 1000 };
const ids = (items: readonly { id: string }[]) => items.map((i) => i.id);

describe("viewBox", () => {
  it("is the pane in flow coordinates", () => {
    expect(viewBox([-200, 100, 0.5], 800, 600)).toEqual({ x: 400, y: -200, width: 1600, height: 1200 });
  });
});

describe("windowServes", () => {
  const view: Box = { x: 0, y: 0, width: 1000, height: 600 };
  const window = windowFor(view);

  it("serves the view it was made for, and small pans within the overscan", () => {
    expect(windowServes(window, view)).toBe(true);
    expect(windowServes(window, { ...view, x: view.width * (OVERSCAN / 2) * 0.9 })).toBe(true);
  });

  it("moves once the view comes within half the overscan of its edge", () => {
    expect(windowServes(window, { ...view, x: view.width * (OVERSCAN / 2) * 1.1 })).toBe(false);
    expect(windowServes(window, { ...view, y: -view.height * (OVERSCAN / 2) * 1.1 })).toBe(false);
  });

  it("moves when zooming out grows the view past it, and when zooming in leaves it far too big", () => {
    expect(windowServes(window, { x: -100, y: -100, width: 1200, height: 800 })).toBe(false);
    expect(windowServes(window, { x: 400, y: 250, width: 200, height: 120 })).toBe(false);
  });
});

describe("windowedGraph", () => {
  it("keeps the nodes that overlap the window, in their order, as the same objects", () => {
    const a = node("a", 100, 100);
    const b = node("b", 5000, 100);
    const c = node("c", -150, 950); // overlaps the window's bottom-left corner
    const { nodes, edges } = windowedGraph([a, b, c], [], WINDOW, handlesOf);
    expect(ids(nodes)).toEqual(["a", "c"]);
    expect(nodes[0]).toBe(a);
    expect(edges).toEqual([]);
  });

  it("keeps an edge with one end inside, and its far end as a hidden node with handles", () => {
    const far = node("far", 9000, 9000);
    const { nodes, edges } = windowedGraph([node("a", 100, 100), far], [edge("a", "far")], WINDOW, handlesOf);
    expect(ids(edges)).toEqual(["a->far"]);
    const hidden = nodes.find((n) => n.id === "far")!;
    expect(hidden.hidden).toBe(true);
    expect(hidden.position).toEqual(far.position);
    expect(hidden.handles?.map((h) => h.id)).toEqual(["in", "out"]);
    expect(far.hidden).toBeUndefined(); // the graph's own node is untouched
  });

  it("keeps an edge that crosses the window between two far nodes", () => {
    const { nodes, edges } = windowedGraph(
      [node("left", -3000, 400), node("right", 4000, 500), node("away", -3000, 5000)],
      [edge("left", "right"), edge("left", "away")],
      WINDOW,
      handlesOf,
    );
    expect(ids(edges)).toEqual(["left->right"]);
    expect(ids(nodes)).toEqual(["left", "right"]);
    expect(nodes.every((n) => n.hidden)).toBe(true);
  });

  it("keeps selected nodes and edges outside it, hidden, so a selection is dragged or deleted whole", () => {
    const { nodes, edges } = windowedGraph(
      [node("a", 100, 100), node("picked", 8000, 0, true), node("x", 8000, 3000), node("y", 9000, 3000)],
      [edge("x", "y", true)],
      WINDOW,
      handlesOf,
    );
    expect(ids(nodes)).toEqual(["a", "picked", "x", "y"]);
    expect(nodes.slice(1).every((n) => n.hidden)).toBe(true);
    expect(ids(edges)).toEqual(["x->y"]);
  });

  it("hands React Flow the same hidden copy again while the node is unchanged", () => {
    const far = node("far", 9000, 9000);
    const graph = [node("a", 100, 100), far];
    const first = windowedGraph(graph, [edge("a", "far")], WINDOW, handlesOf);
    const second = windowedGraph(graph, [edge("a", "far")], { ...WINDOW, x: 10 }, handlesOf);
    expect(second.nodes[1]).toBe(first.nodes[1]);
  });

  it("leaves out edges far from the window and edges to nodes that do not exist", () => {
    const { edges } = windowedGraph(
      [node("a", 100, 100), node("p", 6000, 6000), node("q", 7000, 6000)],
      [edge("p", "q"), edge("a", "ghost")],
      WINDOW,
      handlesOf,
    );
    expect(edges).toEqual([]);
  });
});
