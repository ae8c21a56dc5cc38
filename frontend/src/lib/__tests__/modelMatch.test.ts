import { describe, expect, it } from "vitest";

import { globMatch, reachOf } from "../modelMatch";

describe("globMatch follows fnmatchcase", () => {
  it("matches stars, single characters and classes", () => {
    expect(globMatch("openai/gpt-4o-mini", "openai/*")).toBe(true);
    expect(globMatch("anthropic/claude", "openai/*")).toBe(false);
    expect(globMatch("openai/gpt-4", "openai/gpt-?")).toBe(true);
    expect(globMatch("openai/gpt-4o", "openai/gpt-[34]o")).toBe(true);
    expect(globMatch("openai/gpt-5o", "openai/gpt-[!34]o")).toBe(true);
    expect(globMatch("openai/gpt-4o", "openai/gpt-[!34]o")).toBe(false);
  });

  it("treats dots and other regex characters literally and is case-sensitive", () => {
    expect(globMatch("openai/gpt-4.1", "openai/gpt-4.1")).toBe(true);
    expect(globMatch("openai/gpt-4x1", "openai/gpt-4.1")).toBe(false);
    expect(globMatch("OpenAI/gpt", "openai/*")).toBe(false);
  });
});

describe("reachOf says which connection a run would use", () => {
  const connections = [
    { name: "zeta", model_patterns: ["openai/*"] },
    { name: "alpha", model_patterns: ["openai/gpt-4o-mini", "anthropic/*"] },
  ];

  it("needs none for the built-in model", () => {
    expect(reachOf("", connections)).toEqual({ kind: "local" });
    expect(reachOf("baton/local", connections)).toEqual({ kind: "local" });
  });

  it("picks the first connection by name whose patterns match", () => {
    expect(reachOf("openai/gpt-4o-mini", connections)).toEqual({ kind: "connection", connection: "alpha", pattern: "openai/gpt-4o-mini" });
    expect(reachOf("openai/gpt-4.1", connections)).toEqual({ kind: "connection", connection: "zeta", pattern: "openai/*" });
  });

  it("uses only the named connection when one is chosen", () => {
    expect(reachOf("openai/gpt-4o-mini", connections, "zeta")).toEqual({ kind: "connection", connection: "zeta", pattern: "openai/*" });
    expect(reachOf("anthropic/claude", connections, "zeta")).toEqual({ kind: "unserved", connection: "zeta" });
    expect(reachOf("mistral/large", connections)).toEqual({ kind: "unserved", connection: "" });
  });
});
