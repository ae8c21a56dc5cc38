// One memoised component per component type. Each computes its summary from its own config
// only (plus, for a coordinator, the number of delegates from a per-edges cached index).

import type { NodeProps } from "@xyflow/react";
import { memo, useMemo } from "react";

import { indexEdges } from "../lib/connections";
import type { BatonEdge, BatonNode } from "../lib/graphTypes";
import { nodeSummary } from "../lib/nodeSummary";
import { useGraph } from "../store/graph";
import { BaseNode } from "./BaseNode";

type Props = NodeProps<BatonNode>;

const delegateCounts = new WeakMap<readonly BatonEdge[], Map<string, number>>();

/** Delegation edges per coordinator, computed once per edges array. */
function delegatesOf(edges: readonly BatonEdge[], id: string): number {
  let counts = delegateCounts.get(edges);
  if (!counts) {
    counts = new Map();
    for (const edge of edges) {
      if ((edge.sourceHandle ?? "out") === "agents") counts.set(edge.source, (counts.get(edge.source) ?? 0) + 1);
    }
    delegateCounts.set(edges, counts);
  }
  return counts.get(id) ?? 0;
}

/** A node type whose summary depends on its config only. */
function simpleNode(type: string) {
  const Component = memo(function SimpleNode({ id, data, selected, width, height }: Props) {
    const summary = useMemo(() => nodeSummary(type, data.config), [data.config]);
    return <BaseNode id={id} type={type} data={data} selected={selected} summary={summary} width={width} height={height} />;
  });
  Component.displayName = `${type}Node`;
  return Component;
}

export const CoordinatorNode = memo(function CoordinatorNode({ id, data, selected, width, height }: Props) {
  const delegates = useGraph((s) => delegatesOf(s.edges, id));
  const summary = useMemo(() => nodeSummary("coordinator", data.config, { delegates }), [data.config, delegates]);
  return <BaseNode id={id} type="coordinator" data={data} selected={selected} summary={summary} width={width} height={height} />;
});

export const SubAgentNode = memo(function SubAgentNode({ id, data, selected, width, height }: Props) {
  const delegated = useGraph((s) => indexEdges(s.edges).delegated.has(id));
  const summary = useMemo(() => {
    const lines = nodeSummary("sub_agent", data.config);
    return delegated ? [...lines, "delegated by a coordinator"] : lines;
  }, [data.config, delegated]);
  return <BaseNode id={id} type="sub_agent" data={data} selected={selected} summary={summary} width={width} height={height} />;
});

export const BeginNode = simpleNode("begin");
export const InteractNode = simpleNode("interact");
export const HumanApprovalNode = simpleNode("human_approval");
export const HumanInputNode = simpleNode("human_input");
export const ConditionNode = simpleNode("condition");
export const ParallelNode = simpleNode("parallel");
export const WaitNode = simpleNode("wait");
export const SubPlanNode = simpleNode("sub_plan");
export const TransformNode = simpleNode("transform");
