import { beforeEach, describe, expect, it, vi } from "vitest";

import type { JsonSchema } from "../jsonSchema";
import { beginInputSchema, checkInput, initialInput, problemsByField, rememberedInput, rememberInput } from "../runInput";

const DOCUMENT: JsonSchema = {
  type: "object",
  required: ["document_id"],
  properties: {
    document_id: { type: "string", title: "Document", default: "coordinator.md" },
    reviewer: { type: "string", default: "reviewer" },
    pages: { type: "integer" },
  },
};

describe("the run input form", () => {
  beforeEach(() => {
    // vitest runs in node: a Map-backed localStorage stands in for the browser's
    const items = new Map<string, string>();
    vi.stubGlobal("window", {
      localStorage: {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => void items.set(key, value),
        removeItem: (key: string) => void items.delete(key),
      },
    });
  });

  it("finds the Begin node's schema only when it declares fields", () => {
    const graph = (config: Record<string, unknown>) => ({ nodes: [{ type: "agent" }, { type: "begin", data: { config } }] });
    expect(beginInputSchema(graph({ input_schema: DOCUMENT }))).toBe(DOCUMENT);
    expect(beginInputSchema(graph({ input_schema: { type: "object", properties: {} } }))).toBeNull();
    expect(beginInputSchema(graph({}))).toBeNull();
  });

  it("starts from the defaults, overridden by what was sent last time on this canvas", () => {
    expect(initialInput(DOCUMENT, {})).toEqual({ document_id: "coordinator.md", reviewer: "reviewer" });
    rememberInput("c1", { document_id: "routing.md", gone: 1 });
    expect(rememberedInput("c1")).toEqual({ document_id: "routing.md", gone: 1 });
    expect(rememberedInput("c2")).toEqual({});
    expect(initialInput(DOCUMENT, rememberedInput("c1"))).toEqual({ document_id: "routing.md", reviewer: "reviewer" });
  });

  it("names a missing required field and a value of the wrong type, like the server", () => {
    const { problems } = checkInput(DOCUMENT, { document_id: "  ", pages: 1.5 });
    expect(problems).toEqual({
      "input.document_id": ["this field is required"],
      "input.pages": ["must be a whole number"],
    });
  });

  it("sends filled fields and leaves blank optional ones to the server's defaults", () => {
    expect(checkInput(DOCUMENT, { document_id: "a.md", reviewer: "", pages: 2 })).toEqual({
      input: { document_id: "a.md", pages: 2 },
      problems: {},
    });
  });

  it("groups the server's field errors by field", () => {
    expect(problemsByField([{ field: "input.document_id", message: "this field is required" }, { message: "x" }])).toEqual({
      "input.document_id": ["this field is required"],
      input: ["x"],
    });
  });
});
