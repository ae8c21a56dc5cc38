import { describe, expect, it } from "vitest";

import { ganttLayout, niceStep, type GanttAttempt } from "./gantt";

const at = (stepId: string, start: number, end: number | null, extra: Partial<GanttAttempt> = {}): GanttAttempt => ({
  stepId,
  parent: stepId.includes(".") ? stepId.split(".")[0]! : null,
  agent: null,
  type: "agent",
  attempt: 1,
  status: end === null ? "running" : "succeeded",
  start,
  end,
  ...extra,
});

describe("ganttLayout", () => {
  it("puts parallel steps on one axis so they overlap, children under their parent", () => {
    const layout = ganttLayout([at("c", 0, 1000), at("c.b", 100, 600), at("c.a", 100, 500), at("other", 1000, 1200)], 5000);

    expect(layout.rows.map((r) => [r.stepId, r.depth])).toEqual([
      ["c", 0],
      ["c.b", 1],
      ["c.a", 1],
      ["other", 0],
    ]);
    expect(layout.spanMs).toBe(1200);
    const [b, a] = [layout.rows[1]!.bars[0]!, layout.rows[2]!.bars[0]!];
    expect(a.startMs).toBe(b.startMs);
  });

  it("shows each attempt as its own bar, and running bars up to now", () => {
    const layout = ganttLayout(
      [at("s", 0, 100, { status: "failed" }), at("s", 200, null, { attempt: 2 })],
      1000,
    );
    expect(layout.rows).toHaveLength(1);
    expect(layout.rows[0]!.bars.map((b) => [b.attempt, b.status, b.endMs, b.running])).toEqual([
      [1, "failed", 100, false],
      [2, "running", 1000, true],
    ]);
  });

  it("picks round tick spacing", () => {
    expect(niceStep(1200)).toBe(200);
    expect(niceStep(87)).toBe(20);
  });
});
