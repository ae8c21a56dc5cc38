// JSON Schema of a node's optional `data.step` (per-step options the component configs do not
// carry). Mirrors canvas/graph.py's option models (built from coordinator/schemas StepBase,
// AgentStep, CoordinatorStep); the server validates them and reports "data.step.<field>".

import type { JsonSchema } from "./jsonSchema";

const LOOP: JsonSchema = {
  type: "object",
  title: "Loop",
  description: "Repeat the step until the expression over `step` is true.",
  properties: {
    until: { type: "string", title: "Until", minLength: 1, maxLength: 2000, description: "e.g. step.output.done" },
    max_iterations: { type: "integer", title: "Max iterations", minimum: 1, maximum: 100, default: 3 },
  },
  required: ["until"],
};

const WHEN: JsonSchema = {
  anyOf: [{ type: "string", maxLength: 2000 }, { type: "null" }],
  title: "When",
  description: "Skip the step unless this expression is true.",
};
const TIMEOUT: JsonSchema = {
  anyOf: [{ type: "number", exclusiveMinimum: 0, maximum: 86400 }, { type: "null" }],
  title: "Timeout seconds",
};
const RETRIES: JsonSchema = { type: "integer", title: "Retries", minimum: 0, maximum: 10, default: 0 };
const LOOP_FIELD: JsonSchema = { anyOf: [{ $ref: "#/$defs/LoopSpec" }, { type: "null" }], title: "Loop" };

function schema(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: "object", properties, $defs: { LoopSpec: LOOP } };
}

const COMMON = { when: WHEN, timeout_seconds: TIMEOUT, retries: RETRIES, loop: LOOP_FIELD };

const SCHEMAS: Record<string, JsonSchema> = {
  sub_agent: schema({
    when: WHEN,
    retries: RETRIES,
    loop: LOOP_FIELD,
    input: { type: "object", additionalProperties: true, title: "Input", description: "Extra input for the agent; strings may hold {{ }} templates." },
    fallback: {
      anyOf: [{ type: "string", pattern: "^[a-z0-9][a-z0-9_-]{0,99}$" }, { type: "null" }],
      title: "Fallback",
      description: "Slug of an agent to try when this one fails.",
    },
  }),
  coordinator: schema({
    ...COMMON,
    query: { anyOf: [{ type: "string", maxLength: 20000 }, { type: "null" }], title: "Query", description: "Query template (defaults to the run's query)." },
  }),
};

const NOT_STEPS = new Set(["begin", "interact"]);

/** The schema of `data.step` for a component type; null for begin and interact. */
export function stepOptionsSchema(type: string): JsonSchema | null {
  if (NOT_STEPS.has(type)) return null;
  return SCHEMAS[type] ?? schema(COMMON);
}

/**
 * Step options keep only what is set: null, "" and an empty object are dropped, and an empty
 * options object disappears, so unused options never clutter the stored graph.
 */
export function cleanStepOptions(options: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === null || value === undefined || value === "") continue;
    if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    kept[key] = value;
  }
  return Object.keys(kept).length ? kept : undefined;
}
