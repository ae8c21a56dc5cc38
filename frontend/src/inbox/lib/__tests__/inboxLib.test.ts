import { describe, expect, it } from "vitest";

import { asText, lineDiff } from "../diff";
import { commandFor, moveSelection } from "../keys";
import { ageText, dueText } from "../time";

describe("inbox shortcuts", () => {
  it("maps j/k/a/r/e to commands unless the user is typing or holds a modifier", () => {
    expect(commandFor({ key: "j" })).toBe("next");
    expect(commandFor({ key: "k" })).toBe("prev");
    expect(commandFor({ key: "a" })).toBe("approve");
    expect(commandFor({ key: "r" })).toBe("reject");
    expect(commandFor({ key: "e" })).toBe("edit");
    expect(commandFor({ key: "a", typing: true })).toBeNull();
    expect(commandFor({ key: "r", ctrlKey: true })).toBeNull();
    expect(commandFor({ key: "x" })).toBeNull();
  });

  it("moves the selection within the list", () => {
    expect(moveSelection(-1, 1, 3)).toBe(0);
    expect(moveSelection(-1, -1, 3)).toBe(2);
    expect(moveSelection(2, 1, 3)).toBe(2);
    expect(moveSelection(0, -1, 3)).toBe(0);
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});

describe("edit diffs", () => {
  it("marks removed and added lines around what stayed", () => {
    expect(lineDiff("a\nb\nc", "a\nB\nc")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "B" },
      { kind: "same", text: "c" },
    ]);
    expect(asText({ x: 1 })).toBe('{\n  "x": 1\n}');
  });
});

describe("ages and due times", () => {
  const now = Date.parse("2026-01-01T12:00:00Z");
  it("reads as minutes, hours and days", () => {
    expect(ageText("2026-01-01T11:55:00Z", now)).toBe("5m");
    expect(ageText("2026-01-01T09:00:00Z", now)).toBe("3h");
    expect(ageText("2025-12-29T12:00:00Z", now)).toBe("3d");
  });
  it("says when an item is overdue", () => {
    expect(dueText("2026-01-01T11:00:00Z", now)).toEqual({ text: "overdue 1h", overdue: true });
    expect(dueText("2026-01-01T14:00:00Z", now)).toEqual({ text: "due in 2h", overdue: false });
    expect(dueText(null, now)).toBeNull();
  });
});
