import { describe, expect, it } from "vitest";

import {
  defaultsOf,
  describeFields,
  parseJsonField,
  parseList,
  parseNumberField,
  rangeHint,
  resolveRef,
  unwrapNullable,
  type JsonSchema,
} from "../jsonSchema";

// Trimmed from GET /api/components/ (pydantic v2 output).
const COORDINATOR: JsonSchema = {
  $defs: {
    ContextPolicy: {
      type: "object",
      properties: {
        mode: { default: "full", enum: ["full", "last_n", "summary", "none"], title: "Mode", type: "string" },
        last_n: { default: 6, maximum: 200, minimum: 1, title: "Last N", type: "integer" },
      },
    },
    Budget: {
      type: "object",
      properties: { max_cost_usd: { anyOf: [{ minimum: 0, type: "number" }, { type: "null" }], default: null, title: "Max Cost Usd" } },
    },
  },
  type: "object",
  properties: {
    system_prompt: { default: "You are…", readOnly: true, title: "System Prompt", type: "string" },
    sub_agents: { items: { type: "string" }, readOnly: true, title: "Sub Agents", type: "array" },
    selection_strategy: { default: "capability_based", enum: ["capability_based", "load_balanced"], title: "Selection Strategy", type: "string" },
    parallel_execution: { default: true, title: "Parallel Execution", type: "boolean" },
    max_execution_time: { default: 1800, exclusiveMinimum: 0, maximum: 86400, title: "Max Execution Time", type: "number" },
    temperature: { default: 0.1, maximum: 2, minimum: 0, title: "Temperature", type: "number" },
    thinking_budget: { default: 10000, maximum: 200000, minimum: 0, title: "Thinking Budget", type: "integer" },
    context_policy: { $ref: "#/$defs/ContextPolicy" },
    budget: { $ref: "#/$defs/Budget" },
  },
};

const byKey = (schema: JsonSchema) => Object.fromEntries(describeFields(schema).map((f) => [f.key, f]));

describe("describeFields", () => {
  it("maps each property to the widget that fits it", () => {
    const fields = byKey(COORDINATOR);
    expect(fields.selection_strategy?.widget).toBe("select");
    expect(fields.selection_strategy?.options).toEqual(["capability_based", "load_balanced"]);
    expect(fields.parallel_execution?.widget).toBe("switch");
    expect(fields.temperature?.widget).toBe("number");
    expect(fields.thinking_budget?.widget).toBe("integer");
    expect(fields.system_prompt?.widget).toBe("textarea");
    expect(fields.sub_agents?.widget).toBe("list");
  });

  it("marks read-only fields and keeps bounds, exclusive ones included", () => {
    const fields = byKey(COORDINATOR);
    expect(fields.system_prompt?.readOnly).toBe(true);
    expect(fields.sub_agents?.readOnly).toBe(true);
    expect(fields.temperature).toMatchObject({ minimum: 0, maximum: 2 });
    expect(fields.max_execution_time).toMatchObject({ exclusiveMinimum: 0, maximum: 86400 });
  });

  it("resolves $ref objects into fieldsets with nested paths", () => {
    const policy = byKey(COORDINATOR).context_policy;
    expect(policy?.widget).toBe("fieldset");
    expect(policy?.children?.map((c) => c.path)).toEqual([
      ["context_policy", "mode"],
      ["context_policy", "last_n"],
    ]);
  });

  it("treats anyOf [X, null] as an optional X", () => {
    const cost = byKey(COORDINATOR).budget?.children?.[0];
    expect(cost).toMatchObject({ key: "max_cost_usd", widget: "number", nullable: true, minimum: 0 });
  });

  it("edits free-form objects and untyped values as JSON", () => {
    const fields = byKey({
      type: "object",
      properties: {
        input_schema: { type: "object", additionalProperties: true },
        output: { default: null, description: "Any value" },
      },
    });
    expect(fields.input_schema?.widget).toBe("json");
    expect(fields.output?.widget).toBe("json");
  });

  it("makes an optional $ref object a nullable fieldset", () => {
    const root: JsonSchema = {
      $defs: { Inline: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
      type: "object",
      properties: { inline: { anyOf: [{ $ref: "#/$defs/Inline" }, { type: "null" }], default: null } },
    };
    const inline = byKey(root).inline;
    expect(inline).toMatchObject({ widget: "fieldset", nullable: true });
    expect(inline?.children?.[0]).toMatchObject({ key: "name", required: true });
  });

  it("titles fields in sentence case", () => {
    expect(byKey(COORDINATOR).max_execution_time?.title).toBe("Max execution time");
  });
});

describe("schema helpers", () => {
  it("resolveRef follows $defs and leaves unknown refs alone", () => {
    expect(resolveRef({ $ref: "#/$defs/Budget" }, COORDINATOR).properties).toHaveProperty("max_cost_usd");
    expect(resolveRef({ $ref: "#/$defs/Nope" }, COORDINATOR)).toEqual({ $ref: "#/$defs/Nope" });
  });

  it("unwrapNullable understands type arrays", () => {
    expect(unwrapNullable({ type: ["string", "null"] }, {})).toEqual({ schema: { type: "string" }, nullable: true });
  });

  it("defaultsOf builds the starting value of an optional object", () => {
    expect(defaultsOf(COORDINATOR.$defs!.ContextPolicy!, COORDINATOR)).toEqual({ mode: "full", last_n: 6 });
  });
});

describe("parsing inputs", () => {
  const temperature = byKey(COORDINATOR).temperature!;
  const timeout = byKey(COORDINATOR).max_execution_time!;
  const budget = byKey(COORDINATOR).thinking_budget!;

  it("parses numbers and reports bounds, but still returns the value", () => {
    expect(parseNumberField("0.5", temperature)).toEqual({ value: 0.5 });
    expect(parseNumberField("5", temperature)).toEqual({ value: 5, error: "Input should be less than or equal to 2" });
    expect(parseNumberField("0", timeout)).toEqual({ value: 0, error: "Input should be greater than 0" });
    expect(parseNumberField("1.5", budget)).toEqual({ error: "Enter a whole number." });
    expect(parseNumberField("", temperature)).toEqual({ error: "Enter a number." });
    expect(parseNumberField("", { ...temperature, nullable: true })).toEqual({ value: null });
  });

  it("describes ranges", () => {
    expect(rangeHint(temperature)).toBe("≥ 0, ≤ 2");
    expect(rangeHint(timeout)).toBe("> 0, ≤ 86400");
  });

  it("parses JSON and explains failures", () => {
    expect(parseJsonField('{"a": 1}', { nullable: false, widget: "json" })).toEqual({ value: { a: 1 } });
    expect(parseJsonField("{", { nullable: false, widget: "json" }).error).toMatch(/^Invalid JSON/);
  });

  it("splits lists on commas and new lines", () => {
    expect(parseList("a, b\n c,,")).toEqual(["a", "b", "c"]);
  });
});
