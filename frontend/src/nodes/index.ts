// Node-type registry, defined at module level so React Flow never sees a new object
// (xyflow's templates): one memoised component per component type.

import type { NodeTypes } from "@xyflow/react";

import {
  BeginNode,
  ConditionNode,
  CoordinatorNode,
  HumanApprovalNode,
  HumanInputNode,
  InteractNode,
  ParallelNode,
  SubAgentNode,
  SubPlanNode,
  TransformNode,
  WaitNode,
} from "./types";
import { NoteNode } from "./NoteNode";

export const nodeTypes: NodeTypes = {
  begin: BeginNode,
  interact: InteractNode,
  coordinator: CoordinatorNode,
  sub_agent: SubAgentNode,
  human_approval: HumanApprovalNode,
  human_input: HumanInputNode,
  condition: ConditionNode,
  parallel: ParallelNode,
  wait: WaitNode,
  sub_plan: SubPlanNode,
  transform: TransformNode,
  note: NoteNode,
};
