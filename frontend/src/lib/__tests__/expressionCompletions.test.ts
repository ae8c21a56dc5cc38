import { describe, expect, it } from "vitest";

import { expressionNames, nameAt } from "../expressionCompletions";

describe("expressionNames", () => {
  const names = expressionNames({
    inputSchema: { type: "object", properties: { document_id: { type: "string", description: "Which document" } } },
    stepIds: ["fetch", "shape"],
    context: {
      input: { document_id: "d-1", extra: 2 },
      steps: { fetch: { output: { title: "Q3", meta: { pages: 3 }, "not id": 1 } } },
    },
  });
  const labels = names.map((n) => n.label);

  it("offers the Begin node's input fields with their type", () => {
    expect(names.find((n) => n.label === "input.document_id")?.detail).toBe("string — Which document");
    expect(labels).toContain("input.extra");
  });

  it("offers every step's output, status and error", () => {
    expect(labels).toEqual(expect.arrayContaining(["steps.shape.output", "steps.shape.status", "steps.fetch.error"]));
  });

  it("offers the last run's real output keys, nested, with their values", () => {
    expect(labels).toEqual(expect.arrayContaining(["steps.fetch.output.title", "steps.fetch.output.meta.pages"]));
    expect(names.find((n) => n.label === "steps.fetch.output.title")?.detail).toBe('last run: "Q3"');
    expect(labels).not.toContain("steps.fetch.output.not id");
  });
});

describe("a loop's until", () => {
  it("also offers its own step as step", () => {
    const labels = expressionNames({ stepIds: ["a"], ownStep: true }).map((n) => n.label);
    expect(labels).toEqual(expect.arrayContaining(["step.output", "step.iteration"]));
    expect(expressionNames({ stepIds: ["a"] }).map((n) => n.label)).not.toContain("step.output");
  });
});

describe("nameAt", () => {
  it("completes inside an open {{ in a template", () => {
    expect(nameAt("Hello {{ inp", 12, "template")).toEqual({ from: 9, typed: "inp" });
    expect(nameAt("Hello {{ steps.fe", 17, "template")).toEqual({ from: 9, typed: "steps.fe" });
  });

  it("does not complete in plain template text or after a closed }}", () => {
    expect(nameAt("Hello inp", 9, "template")).toBeNull();
    expect(nameAt("{{ a }} inp", 11, "template")).toBeNull();
  });

  it("completes anywhere in a condition", () => {
    expect(nameAt("steps.a.status == 'x' and inp", 29, "condition")).toEqual({ from: 26, typed: "inp" });
  });
});
