// React Flow's node changes that remove nodes also drop those nodes' edges in the graph store: a
// big graph gives React Flow only the edges near the view (lib/renderWindow.ts).

import { beforeEach, describe, expect, it } from "vitest";

import type { BatonEdge, BatonNode } from "../lib/graphTypes";
import { useGraph } from "./graph";

const node = (id: string): BatonNode => ({ id, type: "transform", position: { x: 0, y: 0 }, data: { label: id, config: {} } });
const edge = (source: string, target: string): BatonEdge => ({ id: `${source}->${target}`, source, target });

describe("removing nodes through React Flow's changes", () => {
  beforeEach(() => {
    useGraph.getState().load({
      nodes: [node("a"), node("b"), node("c")],
      edges: [edge("a", "b"), edge("b", "c"), edge("a", "c")],
    });
  });

  it("drops their edges too, even those React Flow was not given", () => {
    useGraph.getState().onNodesChange([{ type: "remove", id: "b" }]);
    const { nodes, edges, dirty } = useGraph.getState();
    expect(nodes.map((n) => n.id)).toEqual(["a", "c"]);
    expect(edges.map((e) => e.id)).toEqual(["a->c"]);
    expect(dirty).toBe(true);
  });

  it("is one undo step with the edge removals React Flow sends alongside", () => {
    useGraph.getState().onEdgesChange([{ type: "remove", id: "a->b" }]);
    useGraph.getState().onNodesChange([{ type: "remove", id: "b" }]);
    useGraph.getState().undo();
    const { nodes, edges } = useGraph.getState();
    expect(nodes.map((n) => n.id)).toEqual(["a", "b", "c"]);
    expect(edges.map((e) => e.id)).toEqual(["a->b", "b->c", "a->c"]);
  });
});
