import { describe, expect, it } from "vitest";

import { matchesSearch } from "../paletteSearch";

const approval = { type: "human_approval", label: "Human approval", category: "Humans", description: "Waits for approve or reject by an assignee." };
const note = { type: "note", label: "Note", category: "Annotations", description: "A sticky note for readers; never run." };

describe("palette search", () => {
  it("matches every typed word anywhere in label, type, category or description", () => {
    expect(matchesSearch(approval, "human appr")).toBe(true);
    expect(matchesSearch(approval, "ASSIGNEE")).toBe(true);
    expect(matchesSearch(note, "sticky")).toBe(true);
    expect(matchesSearch(note, "annotations note")).toBe(true);
  });

  it("needs all the words and shows everything for an empty search", () => {
    expect(matchesSearch(approval, "human sticky")).toBe(false);
    expect(matchesSearch(note, "")).toBe(true);
    expect(matchesSearch(note, "   ")).toBe(true);
  });
});
