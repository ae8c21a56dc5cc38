import { describe, expect, it } from "vitest";

import { tileOffset, wrap } from "../tileOffset";

describe("wrap", () => {
  it("keeps the remainder in [0, step) for negative values too", () => {
    expect(wrap(50, 24)).toBe(2);
    expect(wrap(-50, 24)).toBe(22);
    expect(wrap(-24, 24)).toBe(0);
    expect(wrap(0, 24)).toBe(0);
  });
});

describe("tileOffset", () => {
  it("stays within one tile left of and above the pane, so the layer covers it", () => {
    for (const x of [-1000.5, -24, -1, 0, 1, 23.9, 24, 777]) {
      const [dx, dy] = tileOffset(x, -x, 24);
      expect(dx).toBeGreaterThanOrEqual(-24);
      expect(dx).toBeLessThan(0);
      expect(dy).toBeGreaterThanOrEqual(-24);
      expect(dy).toBeLessThan(0);
    }
  });

  it("moves with the view modulo the tile: a pan of one pixel moves the dots one pixel", () => {
    const [a] = tileOffset(100, 0, 12);
    const [b] = tileOffset(101, 0, 12);
    expect(b - a).toBeCloseTo(1);
    expect(wrap(tileOffset(-50, 0, 12)[0] - -50, 12)).toBeCloseTo(0);
  });
});
