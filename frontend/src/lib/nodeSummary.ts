// The key config of a node at a glance: a few short lines shown on the node itself.

import { isObject, type JsonObject } from "./graphTypes";

const STRATEGY_SHORT: Record<string, string> = {
  capability_based: "capability",
  load_balanced: "load-balanced",
  priority_based: "priority",
};

function text(value: unknown, max = 48): string {
  const s = typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function formatSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Short lines describing a node's configuration (may be empty). */
export function nodeSummary(type: string, config: JsonObject, extra: { delegates?: number } = {}): string[] {
  switch (type) {
    case "begin":
      return [config.conversation_mode === "single_turn" ? "single turn" : "multi-turn"];
    case "interact":
      return [`format: ${text(config.format ?? "markdown")}`];
    case "coordinator": {
      const selection = STRATEGY_SHORT[String(config.selection_strategy ?? "capability_based")] ?? text(config.selection_strategy);
      const lines = [`select: ${selection}`, `run: ${text(config.coordination_strategy ?? "sequential")}`];
      if (extra.delegates !== undefined) lines.push(`${extra.delegates} sub-agent${extra.delegates === 1 ? "" : "s"}`);
      return lines;
    }
    case "sub_agent": {
      if (isObject(config.inline)) return [`inline: ${text(config.inline.name, 32)}`];
      return [config.agent ? `agent: ${text(config.agent, 40)}` : "no agent chosen"];
    }
    case "condition":
      return [config.expression ? `if ${text(config.expression)}` : "no expression"];
    case "wait":
      if (typeof config.duration_seconds === "number") return [`wait ${formatSeconds(config.duration_seconds)}`];
      if (config.event) return [`until event ${text(config.event, 32)}`];
      return ["no duration or event"];
    case "parallel":
      return [`on failure: ${text(config.on_failure ?? "fail_fast")}`, config.concurrency ? `max ${text(config.concurrency)} at once` : "unbounded"];
    case "human_approval":
    case "human_input":
      return [text(config.prompt, 40), config.assignee ? `→ ${text(config.assignee, 32)}` : "anyone"].filter(Boolean);
    case "sub_plan":
      return [config.canvas ? `canvas: ${text(config.canvas, 36)}` : "no canvas chosen"];
    case "transform":
      return [config.output === null || config.output === undefined ? "no output" : text(config.output, 40)];
    default:
      return [];
  }
}
