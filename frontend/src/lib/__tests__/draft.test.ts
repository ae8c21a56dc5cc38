import { beforeEach, describe, expect, it, vi } from "vitest";

import { clearDraft, draftDiffers, draftKey, readDraft, writeDraft, type Draft } from "../draft";

const GRAPH = {
  nodes: [{ id: "begin", type: "begin", position: { x: 0, y: 0 }, data: { label: "Begin", config: {} } }],
  edges: [],
};

describe("the local draft of a canvas", () => {
  let items: Map<string, string>;
  beforeEach(() => {
    // vitest runs in node: a Map-backed localStorage stands in for the browser's
    items = new Map();
    vi.stubGlobal("window", {
      localStorage: {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => void items.set(key, value),
        removeItem: (key: string) => void items.delete(key),
      },
    });
  });

  it("is written, read back and cleared per canvas", () => {
    const draft: Draft = { baseVersion: 3, savedAt: "2026-12-07T06:00:00Z", graph: GRAPH };
    expect(writeDraft("c1", draft)).toBe(true);
    expect(readDraft("c1")).toEqual(draft);
    expect(readDraft("c2")).toBeNull();
    clearDraft("c1");
    expect(readDraft("c1")).toBeNull();
  });

  it("ignores what is not a draft", () => {
    items.set(draftKey("c1"), "{not json");
    expect(readDraft("c1")).toBeNull();
    items.set(draftKey("c1"), JSON.stringify({ graph: { nodes: "x" } }));
    expect(readDraft("c1")).toBeNull();
  });

  it("says the browser refused when storage is full", () => {
    vi.stubGlobal("window", {
      localStorage: {
        setItem: () => {
          throw new Error("QuotaExceededError");
        },
      },
    });
    expect(writeDraft("c1", { baseVersion: null, savedAt: "", graph: GRAPH })).toBe(false);
  });

  it("differs from the saved graph only in content, not in viewport", () => {
    const draft: Draft = { baseVersion: 1, savedAt: "", graph: { ...GRAPH, viewport: { x: 5, y: 5, zoom: 2 } } };
    expect(draftDiffers(draft, GRAPH)).toBe(false);
    expect(draftDiffers(draft, { ...GRAPH, nodes: [] })).toBe(true);
  });
});
