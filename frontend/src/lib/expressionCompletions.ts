// What may be typed inside {{ }}: the names an expression can reach (run input from the Begin
// node's schema, each step's output, status and error, the last run's real output keys) and
// where the dotted name under the cursor starts. Pure: the editor (panels/form/
// ExpressionEditor) turns these into CodeMirror completions.

import type { JsonSchema } from "./jsonSchema";

export interface ExpressionName {
  label: string;
  /** A short note: the schema type, or the value the last run had. */
  detail: string;
  kind: "variable" | "property" | "function";
  /** Ranks equally good matches: outputs before a step's status and error. */
  boost?: number;
}

export interface NameSources {
  inputSchema?: JsonSchema | null;
  /** Ids of the canvas's step nodes. */
  stepIds: readonly string[];
  /** A loop's `until` also names its own step as `step` (output, status, iteration). */
  ownStep?: boolean;
  /** The last run's expression context, when there is one. */
  context?: { input?: Record<string, unknown>; steps?: Record<string, { output?: unknown }> } | null;
}

const MAX_DEPTH = 3;
const MAX_KEYS = 50;

export function shortValue(value: unknown, limit = 40): string {
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function addKeys(into: Map<string, ExpressionName>, base: string, value: unknown, depth: number) {
  if (!isRecord(value) || depth > MAX_DEPTH) return;
  for (const [key, item] of Object.entries(value).slice(0, MAX_KEYS)) {
    if (!IDENTIFIER.test(key)) continue; // reachable only as ["key"]: not offered
    const label = `${base}.${key}`;
    if (!into.has(label)) into.set(label, { label, detail: `last run: ${shortValue(item)}`, kind: "property" });
    addKeys(into, label, item, depth + 1);
  }
}

function schemaType(schema: JsonSchema | undefined): string {
  if (!schema) return "";
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  return type ?? "";
}

/** Every name an expression can reach, shortest first within each group. */
export function expressionNames(sources: NameSources): ExpressionName[] {
  const names = new Map<string, ExpressionName>();
  const add = (label: string, detail: string, kind: ExpressionName["kind"] = "variable", boost = 0) => {
    if (!names.has(label)) names.set(label, { label, detail, kind, boost });
  };
  add("input", "the run input");
  const properties = sources.inputSchema?.properties ?? {};
  for (const [key, schema] of Object.entries(properties)) {
    if (!IDENTIFIER.test(key)) continue;
    add(`input.${key}`, [schemaType(schema), schema.description ?? ""].filter(Boolean).join(" — ") || "input", "property", 1);
  }
  addKeys(names, "input", sources.context?.input, 1);
  add("query", "the run's query");
  for (const id of sources.stepIds) {
    if (!IDENTIFIER.test(id)) continue;
    const last = sources.context?.steps?.[id];
    add(`steps.${id}.output`, last ? `last run: ${shortValue(last.output)}` : "step output", "property", 2);
    addKeys(names, `steps.${id}.output`, last?.output, 1);
    add(`steps.${id}.status`, "succeeded, failed, skipped …", "property", -1);
    add(`steps.${id}.error`, "the step's error, if it failed", "property", -1);
  }
  if (sources.ownStep) {
    add("step.output", "this step's output (each iteration)", "property", 3);
    add("step.status", "this step's status", "property", 2);
    add("step.iteration", "1, 2, 3 …", "property", 2);
  }
  add("run.id", "this run's id", "property");
  add("run.query", "this run's query", "property");
  add("run.trigger", "what started the run", "property");
  add("now()", "the current time (ISO 8601)", "function");
  return [...names.values()];
}

/**
 * Where the dotted name being typed at `pos` starts, or null when completion does not apply
 * there: in template mode only inside an open {{ … }} or {% … %}; a condition is all
 * expression.
 */
export function nameAt(text: string, pos: number, mode: "template" | "condition"): { from: number; typed: string } | null {
  const before = text.slice(0, pos);
  if (mode === "template") {
    const open = Math.max(before.lastIndexOf("{{"), before.lastIndexOf("{%"));
    const close = Math.max(before.lastIndexOf("}}"), before.lastIndexOf("%}"));
    if (open < 0 || close > open) return null;
  }
  const match = /[A-Za-z_][A-Za-z0-9_.]*\(?$/.exec(before);
  const typed = match ? match[0] : "";
  return { from: pos - typed.length, typed };
}
