import { describe, expect, it } from "vitest";

import { freeSpot } from "../freeSpot";

const size = { width: 220, height: 80 };
const box = (x: number, y: number) => ({ x, y, ...size });
const overlap = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  a.x < b.x + size.width && b.x < a.x + size.width && a.y < b.y + size.height && b.y < a.y + size.height;

describe("freeSpot", () => {
  it("uses the middle of the view when it is free", () => {
    expect(freeSpot({ x: 500, y: 300 }, size, [box(0, 0)])).toEqual({ x: 390, y: 260 });
  });

  it("never stacks nodes added one after another on each other", () => {
    const taken: { x: number; y: number; width: number; height: number }[] = [];
    for (let i = 0; i < 8; i++) {
      const spot = freeSpot({ x: 500, y: 300 }, size, taken);
      for (const other of taken) expect(overlap(spot, other)).toBe(false);
      taken.push({ ...spot, ...size });
    }
    // and they stay near the middle of the view
    for (const spot of taken) expect(Math.hypot(spot.x - 390, spot.y - 260)).toBeLessThan(700);
  });
});
