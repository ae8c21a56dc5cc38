// The sample a step test starts from: what the step saw in the canvas's last run (its query,
// input and the outputs of the other steps), or — with no run yet — the shape to fill in.
// Pure.

import type { ExpressionContext, StepSample } from "../api/expressions";

const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export function sampleFor(
  context: ExpressionContext | null,
  nodeId: string,
  upstream: readonly string[],
  predecessors: readonly string[],
): StepSample {
  const steps: Record<string, unknown> = {};
  for (const id of predecessors) steps[id] = null;
  for (const id of upstream) {
    const last = context?.steps[id];
    if (id === nodeId || !STEP_ID.test(id) || !last || last.status !== "succeeded") continue;
    steps[id] = last.output;
  }
  return { query: context?.query ?? "", input: context?.input ?? {}, steps };
}

type FlowEdge = { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null };

const isDelegation = (edge: FlowEdge) => edge.sourceHandle === "agents" || edge.targetHandle === "delegate";

/** Every step that runs before `nodeId` along flow edges (what it can have seen). */
export function flowAncestors(nodeId: string, edges: readonly FlowEdge[], stepIds: readonly string[]): string[] {
  const found: string[] = [];
  const queue = [nodeId];
  while (queue.length) {
    const current = queue.shift()!;
    for (const source of flowPredecessors(current, edges, stepIds)) {
      if (source !== nodeId && !found.includes(source)) {
        found.push(source);
        queue.push(source);
      }
    }
  }
  return found;
}

/** The steps whose flow edges lead into `nodeId` (not delegation edges). */
export function flowPredecessors(
  nodeId: string,
  edges: readonly FlowEdge[],
  stepIds: readonly string[],
): string[] {
  const steps = new Set(stepIds);
  const found: string[] = [];
  for (const edge of edges) {
    if (edge.target !== nodeId || isDelegation(edge)) continue;
    if (steps.has(edge.source) && !found.includes(edge.source)) found.push(edge.source);
  }
  return found;
}
