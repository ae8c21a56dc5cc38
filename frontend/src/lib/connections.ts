// Which connections make sense (checked while the user drags, before the server sees them).
// Mirrors canvas/graph.py: delegation only coordinator.agents → sub_agent.delegate; flow only
// output → flow input; no self loops, duplicates or flow cycles; begin takes no input and
// interact gives no output; a sub-agent is either a coordinator's delegate or a flow step.

import type { HandleSpec } from "../api/components";
import { findPath } from "./cycles";

export interface EdgeLike {
  id?: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export interface ConnectionLike {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export const DEFAULT_SOURCE_HANDLE = "out";
export const DEFAULT_TARGET_HANDLE = "in";
export const DELEGATION_SOURCE_HANDLE = "agents";
export const DELEGATION_TARGET_HANDLE = "delegate";

export interface RuleContext {
  /** The component type of a node, or undefined when there is no such node. */
  nodeType: (id: string) => string | undefined;
  /** The handle `handleId` of component `type`, or undefined. */
  handle: (type: string, handleId: string) => HandleSpec | undefined;
  /** The graph's handles of a type (for messages such as "its outputs are …"). */
  handles: (type: string) => readonly HandleSpec[];
  edges: readonly EdgeLike[];
}

export function sourceHandleOf(edge: { sourceHandle?: string | null }): string {
  return edge.sourceHandle || DEFAULT_SOURCE_HANDLE;
}

export function targetHandleOf(edge: { sourceHandle?: string | null; targetHandle?: string | null }): string {
  if (edge.targetHandle) return edge.targetHandle;
  return sourceHandleOf(edge) === DELEGATION_SOURCE_HANDLE ? DELEGATION_TARGET_HANDLE : DEFAULT_TARGET_HANDLE;
}

export function isDelegationEdge(edge: { sourceHandle?: string | null }): boolean {
  return sourceHandleOf(edge) === DELEGATION_SOURCE_HANDLE;
}

/** Indexes of an edge list, cached per list (the store replaces the array on every change). */
interface EdgeIndex {
  flowOut: Map<string, string[]>;
  keys: Set<string>;
  delegated: Set<string>; // targets of delegation edges
  inFlow: Set<string>; // nodes with any flow edge
}

const indexCache = new WeakMap<readonly EdgeLike[], EdgeIndex>();

function edgeKey(source: string, sourceHandle: string, target: string, targetHandle: string): string {
  return `${source}\u0000${sourceHandle}\u0000${target}\u0000${targetHandle}`;
}

export function indexEdges(edges: readonly EdgeLike[]): EdgeIndex {
  const cached = indexCache.get(edges);
  if (cached) return cached;
  const index: EdgeIndex = { flowOut: new Map(), keys: new Set(), delegated: new Set(), inFlow: new Set() };
  for (const edge of edges) {
    index.keys.add(edgeKey(edge.source, sourceHandleOf(edge), edge.target, targetHandleOf(edge)));
    if (isDelegationEdge(edge)) {
      index.delegated.add(edge.target);
    } else {
      const out = index.flowOut.get(edge.source);
      if (out) out.push(edge.target);
      else index.flowOut.set(edge.source, [edge.target]);
      index.inFlow.add(edge.source);
      index.inFlow.add(edge.target);
    }
  }
  indexCache.set(edges, index);
  return index;
}

const NICE_TYPE: Record<string, string> = { sub_agent: "sub-agent", human_approval: "human approval", human_input: "human input", sub_plan: "sub-plan" };
const nice = (type: string) => NICE_TYPE[type] ?? type;
/** "a sub-agent", "an interact": the article that goes with the type's spoken name. */
const withArticle = (type: string) => `${/^[aeiou]/i.test(nice(type)) ? "an" : "a"} ${nice(type)}`;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Why `connection` is refused, or null when it is fine. */
export function connectionProblem(connection: ConnectionLike, ctx: RuleContext): string | null {
  const { source, target } = connection;
  if (!source || !target) return "Drop the connection on a handle.";
  if (source === target) return "A node cannot connect to itself.";
  const sourceType = ctx.nodeType(source);
  const targetType = ctx.nodeType(target);
  if (!sourceType || !targetType) return "That node no longer exists.";

  if (targetType === "begin") return "Begin is the entry point: nothing connects into it.";
  if (sourceType === "interact") return "Interact returns the result to the user: it has no outputs.";

  const sourceHandleId = sourceHandleOf(connection);
  const targetHandleId = targetHandleOf(connection);
  const sourceHandle = ctx.handle(sourceType, sourceHandleId);
  const targetHandle = ctx.handle(targetType, targetHandleId);
  if (!sourceHandle || sourceHandle.kind !== "source") {
    return `${capitalised(withArticle(sourceType))} has no output “${sourceHandleId}”.`;
  }
  if (!targetHandle || targetHandle.kind !== "target") {
    return `${capitalised(withArticle(targetType))} has no input “${targetHandleId}”.`;
  }

  const delegation = sourceHandle.role === "delegation";
  if (delegation && targetType !== "sub_agent") {
    return `A coordinator delegates only to sub-agents, not to ${withArticle(targetType)}.`;
  }
  if (delegation && targetHandle.role !== "delegation") {
    return "Connect the coordinator's sub-agents handle to the sub-agent's top (delegate) handle.";
  }
  if (!delegation && targetHandle.role === "delegation") {
    return "A sub-agent's top handle only accepts a coordinator's sub-agents handle.";
  }

  const index = indexEdges(ctx.edges);
  if (index.keys.has(edgeKey(source, sourceHandleId, target, targetHandleId))) {
    return "These handles are already connected.";
  }
  if (delegation) {
    if (index.inFlow.has(target)) {
      return "This sub-agent is a flow step; add another sub-agent node for the coordinator.";
    }
    return null;
  }
  for (const end of [source, target]) {
    if (index.delegated.has(end)) {
      return "This sub-agent belongs to a coordinator; it cannot also be a flow step.";
    }
  }
  const back = findPath(index.flowOut, target, source);
  if (back) {
    return `That would close a cycle: ${[...back, target].join(" → ")}.`;
  }
  return null;
}
