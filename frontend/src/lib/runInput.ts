// A run's input, from the Begin node's input schema (issue 13): the values the run panel's
// form starts with (the schema's defaults under the values remembered for this canvas),
// and the check made before sending. The server checks again (coordinator/run_input.py)
// and its answer is shown under the same fields ("input.<name>").

import { resolveRef, unwrapNullable, type JsonSchema } from "./jsonSchema";

export type RunInput = Record<string, unknown>;

/** The Begin node's input schema in a saved graph, when it declares fields to fill in. */
export function beginInputSchema(graph: { nodes: { type?: string; data?: { config?: Record<string, unknown> } }[] }): JsonSchema | null {
  const begin = graph.nodes.find((node) => node.type === "begin");
  const schema = begin?.data?.config?.input_schema;
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return null;
  const properties = (schema as JsonSchema).properties;
  return properties && Object.keys(properties).length > 0 ? (schema as JsonSchema) : null;
}

const storageKey = (canvasId: string) => `baton.runInput.${canvasId}`;

export function rememberedInput(canvasId: string): RunInput {
  try {
    const raw = window.localStorage.getItem(storageKey(canvasId));
    const value: unknown = raw ? JSON.parse(raw) : null;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as RunInput) : {};
  } catch {
    return {};
  }
}

export function rememberInput(canvasId: string, value: RunInput): void {
  try {
    window.localStorage.setItem(storageKey(canvasId), JSON.stringify(value));
  } catch {
    // storage full or disabled: the form simply starts from the defaults next time
  }
}

/** The form's starting values: the schema's defaults, then what was sent last time (for
 * the fields the schema still has). */
export function initialInput(schema: JsonSchema, remembered: RunInput): RunInput {
  const object = resolveRef(schema, schema);
  const value: RunInput = {};
  for (const [key, property] of Object.entries(object.properties ?? {})) {
    if (key in remembered) value[key] = remembered[key];
    else if ("default" in property) value[key] = property.default;
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

function typeProblem(value: unknown, schema: JsonSchema): string | null {
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  if (schema.enum && !schema.enum.some((option) => option === value)) return "pick one of the options";
  switch (type) {
    case "string":
      if (typeof value !== "string") return "must be text";
      if (schema.minLength !== undefined && value.length < schema.minLength) return `at least ${schema.minLength} characters`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return `at most ${schema.maxLength} characters`;
      return null;
    case "integer":
      return Number.isInteger(value) ? null : "must be a whole number";
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? null : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? null : "must be on or off";
    default:
      return null;
  }
}

/** Problems keyed like the server's ("input.<field>"), before anything is sent. Blank
 * optional fields are left out of the input (so the server's defaults apply). */
export function checkInput(schema: JsonSchema, value: RunInput): { input: RunInput; problems: Record<string, string[]> } {
  const object = resolveRef(schema, schema);
  const required = new Set(object.required ?? []);
  const input: RunInput = {};
  const problems: Record<string, string[]> = {};
  for (const [key, property] of Object.entries(object.properties ?? {})) {
    const current = value[key];
    if (isBlank(current)) {
      if (required.has(key)) problems[`input.${key}`] = ["this field is required"];
      continue;
    }
    const { schema: inner } = unwrapNullable(property, schema);
    const problem = typeProblem(current, inner);
    if (problem) problems[`input.${key}`] = [problem];
    input[key] = current;
  }
  return { input, problems };
}

/** The server's field errors ({field: "input.x", message}) in the form's shape. */
export function problemsByField(errors: readonly { field?: string; message: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const error of errors) {
    const field = error.field || "input";
    (out[field] ??= []).push(error.message);
  }
  return out;
}
